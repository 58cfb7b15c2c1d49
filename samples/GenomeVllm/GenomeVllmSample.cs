using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genesis;
using Genesis.Adapters;
using Genesis.Datasets;
using Genesis.Lora;
using Genesis.Merging;
using Genesis.Scoring;
using Genesis.Serving;

namespace GenomeVllm;

/// <summary>
/// GENOME+ on a vLLM server: evolves the experts' LoRA adapters on a GSM8K-shaped task, compares the result with the
/// best expert, a uniform merge, TIES and DARE, prints the table and writes it to <c>OUT/results.md</c>. The run folder
/// is <c>--out</c>, so the same command resumes a run that was stopped.
/// </summary>
public static class GenomeVllmSample
{
    /// <summary>The run finished; the last line printed is <c>best: &lt;the best test accuracy in the table&gt;</c>.</summary>
    public const int Success = 0;

    /// <summary>An argument, the data, an expert or a request was wrong; the message says which.</summary>
    public const int Failure = 1;

    /// <summary>No vLLM server or no experts were given, or the server cannot be reached; the message says how to start one.</summary>
    public const int NotConfigured = 2;

    /// <summary>The run was cancelled (Ctrl+C); the same command resumes it.</summary>
    public const int Cancelled = 130;

    private const string BaselinesFile = "baselines.json";
    private const string ResultsFile = "results.md";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs the sample with a command line (see <see cref="GenomeVllmOptions.Usage"/>).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Progress, the table and the final <c>best:</c> line.</param>
    /// <param name="error">Problems and the guidance to start vLLM.</param>
    /// <param name="environment">Reads an environment variable; <see langword="null"/> when unset.</param>
    /// <param name="cancellationToken">Stops the run; what was evaluated stays in the run folder.</param>
    /// <returns>The process exit code: <see cref="Success"/>, <see cref="Failure"/>, <see cref="NotConfigured"/> or <see cref="Cancelled"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(environment);
        GenomeVllmOptions options;
        try
        {
            options = GenomeVllmOptions.Parse(args, environment);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return Failure;
        }

        if (options.Help)
        {
            await output.WriteLineAsync(GenomeVllmOptions.Usage).ConfigureAwait(false);
            return Success;
        }

        if (options.MakeDataset is { } file)
        {
            var (train, validation, test) = SyntheticGsm8k.ShippedSizes;
            SyntheticGsm8k.Write(file, options.Sample.Seed, train, validation, test);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {train + validation + test} synthetic GSM8K-shaped records ({train} train, {validation} validation, {test} test; seed {options.Sample.Seed}) to {file}")).ConfigureAwait(false);
            return Success;
        }

        if (options.VllmUrl is null)
        {
            await error.WriteLineAsync(ServerGuidance.Text(options, $"No vLLM server: pass --vllm-url URL or set {GenomeVllmOptions.UrlVariable}.")).ConfigureAwait(false);
            return NotConfigured;
        }

        if (options.Experts is null)
        {
            await error.WriteLineAsync(ServerGuidance.Text(options, "No experts: pass --experts FOLDER, a folder holding one PEFT adapter folder per expert.")).ConfigureAwait(false);
            return NotConfigured;
        }

        try
        {
            return await RunCoreAsync(options, options.VllmUrl, options.Experts, output, error, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"cancelled; resume by running the same command with --out {options.Sample.OutputFolder}").ConfigureAwait(false);
            return Cancelled;
        }
        catch (VllmRequestException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nFinished evaluations are kept in {options.Sample.OutputFolder}; run the same command again to resume.").ConfigureAwait(false);
            return Failure;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or LoraAdapterMismatchException or UnauthorizedAccessException or InvalidOperationException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return Failure;
        }
    }

    private static async Task<int> RunCoreAsync(GenomeVllmOptions options, Uri url, string expertsFolder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var sample = options.Sample;
        var datasetPath = options.Dataset ?? Path.Combine(AppContext.BaseDirectory, SyntheticGsm8k.ShippedFile);
        var dataset = TaskDataset.Load(datasetPath, TaskFormat.Gsm8k);
        if (dataset.Validation.Count == 0 || dataset.Test.Count == 0)
        {
            throw new InvalidDataException($"--dataset: {datasetPath} has {dataset.Validation.Count} validation and {dataset.Test.Count} test records; both splits are needed.");
        }

        var validation = new FitnessTask { Name = "GSM8K", Samples = dataset.Subsample(DatasetSplit.Validation, options.ValidationSamples, sample.Seed), Scorer = Gsm8kScorer.Instance };
        var test = new FitnessTask { Name = "GSM8K", Samples = dataset.Subsample(DatasetSplit.Test, options.TestSamples ?? int.MaxValue, sample.Seed), Scorer = Gsm8kScorer.Instance };

        var experts = LoraAdapter.LoadAll(expertsFolder, cancellationToken);
        if (experts.Count < 2)
        {
            await error.WriteLineAsync($"--experts: GENOME needs at least 2 expert adapters; {expertsFolder} holds {experts.Count}.").ConfigureAwait(false);
            return Failure;
        }

        if (sample.Evaluations < experts.Count)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"--evaluations must be at least the number of experts ({experts.Count}), was {sample.Evaluations}.")).ConfigureAwait(false);
            return Failure;
        }

        var shownUrl = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped);
        IReadOnlyList<string> served;
        try
        {
            served = await ListModelsAsync(url, options.ApiKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException ? "no answer within 15 s" : ex.Message;
            await error.WriteLineAsync(ServerGuidance.Text(options, $"Cannot reach vLLM at {shownUrl} (GET /v1/models: {reason}).")).ConfigureAwait(false);
            return NotConfigured;
        }

        var baseModel = experts[0].Config.BaseModelNameOrPath;
        await output.WriteLineAsync($"vLLM at {shownUrl} serves {string.Join(", ", served)}").ConfigureAwait(false);
        if (baseModel is not null && !served.Contains(baseModel, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"note: the experts' base model {baseModel} is not among the served models; make sure the server runs that base (under --served-model-name if renamed).").ConfigureAwait(false);
        }

        var runFolder = sample.OutputFolder;
        var adapterRoot = Path.GetFullPath(options.ResolvedAdapterRoot);
        Directory.CreateDirectory(runFolder);
        Directory.CreateDirectory(adapterRoot);
        var rank = experts[0].Modules.Max(m => m.Rank);
        var sigma = 0.02 * RootMeanSquare(experts);
        var ensembleSize = Math.Min(3, experts.Count);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"data: {datasetPath}, {validation.Samples.Count} validation / {test.Samples.Count} test questions; experts: {string.Join(", ", experts.Select(e => e.Name))} (rank {rank}); mutation sigma {sigma:G3}; run folder {Path.GetFullPath(runFolder)}")).ConfigureAwait(false);

        using var vllm = new VllmAdapterEvaluator(
            new VllmOptions
            {
                BaseUrl = url,
                ApiKey = options.ApiKey,
                AdapterRoot = adapterRoot,
                ServerAdapterRoot = options.ServerAdapterRoot,
                MaxLoras = options.MaxLoras,
                Seed = sample.Seed,
            },
            [validation],
            [test]);
        var evaluator = new ProgressEvaluator(vllm, output) { Stage = "GENOME+" };

        var genome = await Genome.For(evaluator)
            .WithPopulation(experts)
            .WithCrossover(new LinearMerge(), rate: 0.8)
            .WithMutation(individualRate: 0.3, geneRate: 0.1, sigma: sigma)
            .WithSuccession()
            .WithGenerations(1000)
            .WithMaxEvaluations(sample.Evaluations)
            .WithEvaluationConcurrency(options.MaxLoras)
            .WithEnsemble(ensembleSize)
            .WithRunFolder(runFolder)
            .WithSeed(sample.Seed)
            .RunAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"GENOME+: {genome.Evaluations} validation evaluations over {genome.History.Count - 1} generations; best validation {genome.InitialBestValidation:F3} -> {genome.BestValidation:F3}")).ConfigureAwait(false);

        var fingerprint = Fingerprint(datasetPath, validation, test, experts, sample.Seed);
        var baselines = await BaselinesAsync(experts, evaluator, Path.Combine(runFolder, BaselinesFile), fingerprint, sample.Seed, output, cancellationToken).ConfigureAwait(false);

        var rows = baselines.Select(b => (b.Label, b.Validation, b.Test, Evaluations: b.Evaluations.ToString(CultureInfo.InvariantCulture))).ToList();
        rows.Add(("GENOME+ best", genome.BestValidation, genome.BestTest, genome.Evaluations.ToString(CultureInfo.InvariantCulture)));
        if (genome.Ensemble is { } ensemble)
        {
            rows.Add(($"GENOME+ ensemble (majority vote of {ensemble.Members})", ensemble.MajorityValidation, ensemble.MajorityTest, "-"));
        }

        var synthetic = options.Dataset is null ? " (synthetic GSM8K-shaped data shipped with the sample, not GSM8K)" : string.Empty;
        var lines = new List<string>
        {
            "# GENOME+ on vLLM: GSM8K-shaped accuracy",
            string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"- data: {datasetPath}{synthetic}; {validation.Samples.Count} validation / {test.Samples.Count} test questions; score = exact match of the final number"),
            $"- experts: {experts.Count} from {expertsFolder} ({string.Join(", ", experts.Select(e => e.Name))}), base {baseModel ?? "unknown"}, LoRA rank {rank.ToString(CultureInfo.InvariantCulture)}",
            string.Create(CultureInfo.InvariantCulture, $"- server: {shownUrl}, {options.MaxLoras} adapters at once"),
            string.Create(CultureInfo.InvariantCulture, $"- GENOME+: {genome.Evaluations} validation evaluations, {genome.History.Count - 1} generations, best validation {genome.InitialBestValidation:F3} -> {genome.BestValidation:F3}; best adapter in {Path.Combine(Path.GetFullPath(runFolder), "best")}"),
            string.Create(CultureInfo.InvariantCulture, $"- seed: {sample.Seed}"),
            string.Empty,
            "| method | validation | test | validation evaluations |",
            "|---|---|---|---|",
        };
        lines.AddRange(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.Label} | {r.Validation:F3} | {r.Test:F3} | {r.Evaluations} |")));
        foreach (var line in lines.Skip(8))
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await File.WriteAllLinesAsync(Path.Combine(runFolder, ResultsFile), lines, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"results: {Path.Combine(Path.GetFullPath(runFolder), ResultsFile)}").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"best: {rows.Max(r => r.Test):F4}")).ConfigureAwait(false);
        return Success;
    }

    /// <summary>The baselines, each stored in <paramref name="cacheFile"/> as soon as it is done, so a rerun does not repeat them.</summary>
    private static async Task<List<BaselineRow>> BaselinesAsync(IReadOnlyList<LoraAdapter> experts, ProgressEvaluator evaluator, string cacheFile, string fingerprint, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        var rows = new List<BaselineRow>();
        if (File.Exists(cacheFile))
        {
            BaselineCache? cached;
            try
            {
                cached = JsonSerializer.Deserialize<BaselineCache>(await File.ReadAllTextAsync(cacheFile, cancellationToken).ConfigureAwait(false));
            }
            catch (JsonException)
            {
                cached = null;
            }

            if (cached?.Fingerprint == fingerprint && cached.Results is not null)
            {
                rows.AddRange(cached.Results);
            }
            else
            {
                await output.WriteLineAsync($"note: {cacheFile} is unreadable or was made with other data, experts or seed; the baselines are run again.").ConfigureAwait(false);
            }
        }

        var methods = new (string Key, Func<Task<BaselineResult>> Run)[]
        {
            ("best expert", () => GenomeBaselines.BestExpertAsync(experts, evaluator, cancellationToken)),
            ("uniform merge", () => GenomeBaselines.UniformMergeAsync(experts, evaluator, cancellationToken)),
            ("TIES", () => GenomeBaselines.TiesAsync(experts, evaluator, cancellationToken: cancellationToken)),
            ("DARE", () => GenomeBaselines.DareAsync(experts, evaluator, seed, cancellationToken: cancellationToken)),
        };
        foreach (var (key, run) in methods)
        {
            if (rows.Exists(r => r.Key == key))
            {
                continue;
            }

            evaluator.Stage = key;
            var result = await run().ConfigureAwait(false);
            var label = key == "best expert" ? $"best expert ({result.Adapter.Name})" : key;
            rows.Add(new BaselineRow(key, label, result.Validation, result.Test, result.Evaluations));
            var text = JsonSerializer.Serialize(new BaselineCache(fingerprint, rows), Indented);
            var staging = cacheFile + ".tmp";
            await File.WriteAllTextAsync(staging, text, cancellationToken).ConfigureAwait(false);
            File.Move(staging, cacheFile, overwrite: true);
        }

        return [.. methods.Select(m => rows.Find(r => r.Key == m.Key)!)];
    }

    /// <summary>What the baselines depend on: the questions, the experts and the seed.</summary>
    private static string Fingerprint(string datasetPath, FitnessTask validation, FitnessTask test, IReadOnlyList<LoraAdapter> experts, int seed)
    {
        var text = new StringBuilder()
            .Append(Path.GetFullPath(datasetPath)).Append('\n')
            .AppendJoin(',', validation.Samples.Select(s => s.Id)).Append('\n')
            .AppendJoin(',', test.Samples.Select(s => s.Id)).Append('\n')
            .AppendJoin(',', experts.Select(e => e.Name + ":" + e.ParameterCount.ToString(CultureInfo.InvariantCulture))).Append('\n')
            .Append(seed.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static double RootMeanSquare(IReadOnlyList<LoraAdapter> experts)
    {
        double sum = 0;
        long count = 0;
        foreach (var expert in experts)
        {
            foreach (var value in expert.Values)
            {
                sum += (double)value * value;
            }

            count += expert.ParameterCount;
        }

        return count == 0 ? 0 : Math.Sqrt(sum / count);
    }

    /// <summary>The model ids of <c>GET /v1/models</c>, with a 15 s limit.</summary>
    private static async Task<IReadOnlyList<string>> ListModelsAsync(Uri url, string? apiKey, CancellationToken cancellationToken)
    {
        var root = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var models = new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? root + "/models" : root + "/v1/models");
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        using var request = new HttpRequestMessage(HttpMethod.Get, models);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
        return body?["data"] is JsonArray data
            ? [.. data.Select(m => m?["id"]?.GetValue<string>()).OfType<string>()]
            : throw new InvalidOperationException("the reply has no 'data' list of models");
    }

    private sealed record BaselineRow(string Key, string Label, double Validation, double Test, int Evaluations);

    private sealed record BaselineCache(string Fingerprint, List<BaselineRow> Results);
}
