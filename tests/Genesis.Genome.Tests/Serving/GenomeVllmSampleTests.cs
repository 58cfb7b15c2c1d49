using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Genesis.Adapters;
using GenomeVllm;

namespace Genesis.GenomeTests.Serving;

/// <summary>
/// The GenomeVllm sample run in-process, end to end, against <see cref="GradingVllmServer"/> on 127.0.0.1: experts saved
/// as PEFT folders, children written for the server and loaded over HTTP, scored with chat completions, unloaded.
/// </summary>
public sealed class GenomeVllmSampleTests : IDisposable
{
    private const int MaxLoras = 2;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("genesis-genome-vllm-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task The_sample_runs_genome_and_the_baselines_through_the_server_and_a_rerun_resumes_without_new_evaluations()
    {
        var (experts, target) = GradingExperts.Create(seed: 11);
        await using var server = await StartServerAsync(target);
        var run = Path.Combine(_root.FullName, "run");
        var args = Args(experts, server, run);

        var (code, output, error) = await RunSampleAsync(args);

        Assert.True(code == GenomeVllmSample.Success, $"exit {code}\n{error}\n{output}");
        var last = LastLine(output);
        Assert.Matches(@"^best: \d+\.\d{4}$", last);
        Assert.True(File.Exists(Path.Combine(run, "genome.db")));
        Assert.True(File.Exists(Path.Combine(run, "best", LoraAdapter.WeightsFileName)));
        Assert.True(File.Exists(Path.Combine(run, "best", LoraAdapter.ConfigFileName)));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(run, "vllm-adapters")));

        // Every child went load → chat… → unload under its own name, never more than --max-loras at once.
        var log = server.Log;
        Assert.DoesNotContain(log, l => l.Kind == "load-failed");
        var children = log.GroupBy(l => l.Name).ToList();
        Assert.True(children.Count >= 28 + 4, $"{children.Count} adapters loaded");
        Assert.All(children, child =>
        {
            var kinds = child.Select(l => l.Kind).ToList();
            Assert.Equal("load", kinds[0]);
            Assert.Equal("unload", kinds[^1]);
            var chats = kinds.Count(k => k == "chat");
            Assert.True(chats is 60 or 50, $"{child.Key}: {chats} chats"); // --validation-samples or --test-samples
            Assert.All(kinds.Skip(1).SkipLast(1), k => Assert.Equal("chat", k));
        });
        Assert.InRange(server.MaxLoadedAtOnce, 1, MaxLoras);
        Assert.Empty(server.Loaded);

        // The table: GENOME's best validation is at least the best expert's; the best line is the best test score.
        var table = ReadTable(Path.Combine(run, "results.md"));
        Assert.Equal(6, table.Count);
        var bestExpert = table.Single(r => r.Key.StartsWith("best expert (expert-", StringComparison.Ordinal)).Value;
        var genome = table["GENOME+ best"];
        Assert.True(genome.Validation >= bestExpert.Validation, $"GENOME+ {genome.Validation} < best expert {bestExpert.Validation}");
        Assert.Contains("uniform merge", table.Keys);
        Assert.Contains("TIES", table.Keys);
        Assert.Contains("DARE", table.Keys);
        Assert.Contains("GENOME+ ensemble (majority vote of 3)", table.Keys);
        Assert.Equal(table.Values.Max(r => r.Test), double.Parse(last["best: ".Length..], CultureInfo.InvariantCulture), precision: 3);

        // The same command again: GENOME's finished run and the cached baselines are read back, nothing is re-evaluated.
        var (again, output2, error2) = await RunSampleAsync(args);

        Assert.True(again == GenomeVllmSample.Success, $"exit {again}\n{error2}\n{output2}");
        Assert.Equal(last, LastLine(output2));
        Assert.Equal(log.Count, server.Log.Count);
    }

    [Fact]
    public async Task A_cancelled_run_unloads_its_adapters_and_the_same_command_finishes_it_as_an_uninterrupted_run_would()
    {
        var (experts, target) = GradingExperts.Create(seed: 11);
        await using var server = await StartServerAsync(target);
        var run = Path.Combine(_root.FullName, "interrupted");
        using var cancel = new CancellationTokenSource();
        var loads = 0;
        server.OnLoaded = _ =>
        {
            if (Interlocked.Increment(ref loads) == 12)
            {
                cancel.Cancel();
            }
        };

        var (code, output, _) = await RunSampleAsync(Args(experts, server, run), cancellationToken: cancel.Token);

        Assert.Equal(GenomeVllmSample.Cancelled, code);
        Assert.Contains($"resume by running the same command with --out {run}", output, StringComparison.Ordinal);
        Assert.Empty(server.Loaded);
        Assert.True(File.Exists(Path.Combine(run, "genome.db")));

        server.OnLoaded = null;
        var (resumed, resumedOutput, resumedError) = await RunSampleAsync(Args(experts, server, run));
        var fresh = Path.Combine(_root.FullName, "uninterrupted");
        var (straight, straightOutput, straightError) = await RunSampleAsync(Args(experts, server, fresh));

        Assert.True(resumed == GenomeVllmSample.Success, $"exit {resumed}\n{resumedError}\n{resumedOutput}");
        Assert.True(straight == GenomeVllmSample.Success, $"exit {straight}\n{straightError}\n{straightOutput}");
        Assert.Equal(ReadTable(Path.Combine(fresh, "results.md")), ReadTable(Path.Combine(run, "results.md")));
        Assert.Equal(LastLine(straightOutput), LastLine(resumedOutput));
        Assert.Empty(server.Loaded);
    }

    [Fact]
    public async Task Without_a_server_the_sample_exits_with_2_and_says_how_to_start_vllm_for_these_experts()
    {
        var (experts, _) = GradingExperts.Create(seed: 11);
        var folder = GradingExperts.Save(experts, Path.Combine(_root.FullName, "experts"));

        var (code, output, error) = await RunSampleAsync(["--experts", folder, "--max-loras", "3", "--out", Path.Combine(_root.FullName, "run")]);

        Assert.Equal(GenomeVllmSample.NotConfigured, code);
        Assert.Empty(output);
        Assert.Contains("No vLLM server: pass --vllm-url URL or set GENESIS_VLLM_URL.", error, StringComparison.Ordinal);
        Assert.Contains($"VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve {GradingExperts.BaseModel} --enable-lora --max-loras 3 --max-lora-rank 8", error, StringComparison.Ordinal);
        Assert.Contains($"--vllm-url http://127.0.0.1:8000 --experts {folder} --max-loras 3", error, StringComparison.Ordinal);
        Assert.Contains("adapter_config.json + adapter_model.safetensors", error, StringComparison.Ordinal);
        Assert.Contains("--server-adapter-root", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root.FullName, "run")));
    }

    [Fact]
    public async Task Without_experts_the_guidance_names_the_placeholders_and_the_experts_flag()
    {
        var (code, _, error) = await RunSampleAsync([]);

        Assert.Equal(GenomeVllmSample.NotConfigured, code);
        Assert.Contains("VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve <base model> --enable-lora --max-loras 4 --max-lora-rank <r>", error, StringComparison.Ordinal);
        Assert.Contains("--experts path/to/experts", error, StringComparison.Ordinal);

        var (withUrl, _, urlError) = await RunSampleAsync(["--vllm-url", "http://127.0.0.1:8000"]);

        Assert.Equal(GenomeVllmSample.NotConfigured, withUrl);
        Assert.Contains("No experts: pass --experts FOLDER", urlError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_variable_gives_the_server_and_an_unreachable_one_exits_with_2()
    {
        var (experts, _) = GradingExperts.Create(seed: 11);
        var folder = GradingExperts.Save(experts, Path.Combine(_root.FullName, "experts"));
        var url = $"http://127.0.0.1:{ClosedPort().ToString(CultureInfo.InvariantCulture)}";

        var (code, _, error) = await RunSampleAsync(
            ["--experts", folder, "--out", Path.Combine(_root.FullName, "run")],
            environment: name => name == GenomeVllmOptions.UrlVariable ? url : null);

        Assert.Equal(GenomeVllmSample.NotConfigured, code);
        Assert.Contains($"Cannot reach vLLM at {url}/", error, StringComparison.Ordinal);
        Assert.Contains("vllm serve genesis-test/gsm8k-base --enable-lora", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-loras", "0", "--max-loras must be an integer between 1 and 1024, was '0'.")]
    [InlineData("--vllm-url", "localhost:8000", "--vllm-url must be an http(s) address such as http://127.0.0.1:8000, was 'localhost:8000'.")]
    [InlineData("--evaluations", "-3", "--evaluations must be a positive integer, was '-3'.")]
    [InlineData("--bogus", "1", "unknown argument '--bogus'.")]
    public async Task A_bad_argument_is_named_with_the_usage_and_exits_with_1(string flag, string value, string message)
    {
        var (code, output, error) = await RunSampleAsync([flag, value]);

        Assert.Equal(GenomeVllmSample.Failure, code);
        Assert.Empty(output);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Contains("Usage: GenomeVllm --vllm-url URL --experts FOLDER [options]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_with_0()
    {
        var (code, output, error) = await RunSampleAsync(["--help"]);

        Assert.Equal(GenomeVllmSample.Success, code);
        Assert.Empty(error);
        Assert.StartsWith("Usage: GenomeVllm --vllm-url URL --experts FOLDER [options]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fewer_evaluations_than_experts_is_refused_before_any_request()
    {
        var (experts, target) = GradingExperts.Create(seed: 11);
        await using var server = await StartServerAsync(target);
        var args = Args(experts, server, Path.Combine(_root.FullName, "run")).ToList();
        args[args.IndexOf("--evaluations") + 1] = "3";

        var (code, _, error) = await RunSampleAsync([.. args]);

        Assert.Equal(GenomeVllmSample.Failure, code);
        Assert.Contains("--evaluations must be at least the number of experts (4), was 3.", error, StringComparison.Ordinal);
        Assert.Empty(server.Log);
    }

    [Fact]
    public async Task A_single_expert_or_a_missing_folder_is_refused_with_its_reason()
    {
        var (experts, _) = GradingExperts.Create(seed: 11);
        var one = GradingExperts.Save(experts.Take(1), Path.Combine(_root.FullName, "one"));
        var missing = Path.Combine(_root.FullName, "missing");

        var (code, _, error) = await RunSampleAsync(["--vllm-url", "http://127.0.0.1:8000", "--experts", one]);
        var (code2, _, error2) = await RunSampleAsync(["--vllm-url", "http://127.0.0.1:8000", "--experts", missing]);

        Assert.Equal(GenomeVllmSample.Failure, code);
        Assert.Contains($"--experts: GENOME needs at least 2 expert adapters; {one} holds 1.", error, StringComparison.Ordinal);
        Assert.Equal(GenomeVllmSample.Failure, code2);
        Assert.Contains(missing, error2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_data_is_what_make_dataset_writes_and_is_gsm8k_shaped()
    {
        var file = Path.Combine(_root.FullName, "made.jsonl");

        var (code, output, _) = await RunSampleAsync(["--make-dataset", file]);

        Assert.Equal(GenomeVllmSample.Success, code);
        Assert.Contains("wrote 500 synthetic GSM8K-shaped records", output, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(GradingExperts.ShippedDataset), await File.ReadAllTextAsync(file));
        var dataset = GradingExperts.LoadShippedDataset();
        Assert.Equal((100, 200, 200), (dataset.Train.Count, dataset.Validation.Count, dataset.Test.Count));
        Assert.All(dataset.Validation.Concat(dataset.Test), s => Assert.True(s.Metadata.ContainsKey("rationale")));
        Assert.Equal(500, dataset.Train.Concat(dataset.Validation).Concat(dataset.Test).Select(s => s.Prompt).Distinct(StringComparer.Ordinal).Count());
    }

    internal static async Task<GradingVllmServer> StartServerAsync(LoraAdapter target)
    {
        var dataset = GradingExperts.LoadShippedDataset();
        return await GradingVllmServer.StartAsync(target, dataset.Validation.Concat(dataset.Test), GradingExperts.BaseModel);
    }

    private string[] Args(IReadOnlyList<LoraAdapter> experts, GradingVllmServer server, string run)
    {
        var folder = Path.Combine(_root.FullName, "experts");
        if (!Directory.Exists(folder))
        {
            GradingExperts.Save(experts, folder);
        }

        return
        [
            "--vllm-url", server.BaseUri.ToString(), "--experts", folder, "--max-loras", MaxLoras.ToString(CultureInfo.InvariantCulture),
            "--evaluations", "28", "--validation-samples", "60", "--test-samples", "50", "--seed", "5", "--out", run,
        ];
    }

    private static async Task<(int Code, string Output, string Error)> RunSampleAsync(string[] args, Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await GenomeVllmSample.RunAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(error), environment ?? (_ => null), cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    /// <summary>The results table: method → (validation, test).</summary>
    private static Dictionary<string, (double Validation, double Test)> ReadTable(string file) =>
        File.ReadAllLines(file)
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| method", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(c => c[1], c => (double.Parse(c[2], CultureInfo.InvariantCulture), double.Parse(c[3], CultureInfo.InvariantCulture)));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
