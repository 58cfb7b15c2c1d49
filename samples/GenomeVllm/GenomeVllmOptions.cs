using System.Globalization;
using Genesis.Samples;

namespace GenomeVllm;

/// <summary>
/// The sample's command line: the flags every sample takes (<c>--evaluations</c>, <c>--out</c>, <c>--seed</c>, read by
/// <see cref="SampleOptions"/>) and the vLLM ones (see <see cref="Usage"/>).
/// </summary>
public sealed record GenomeVllmOptions
{
    /// <summary>The environment variable read when <c>--vllm-url</c> is not given.</summary>
    public const string UrlVariable = "GENESIS_VLLM_URL";

    /// <summary>The environment variable holding the server's API key (vLLM's <c>--api-key</c>), if it has one.</summary>
    public const string ApiKeyVariable = "GENESIS_VLLM_API_KEY";

    /// <summary>The default <c>--evaluations</c>.</summary>
    public const int DefaultEvaluations = 100;

    /// <summary>The default <c>--out</c>.</summary>
    public const string DefaultOut = "runs/genome-vllm";

    /// <summary>The default <c>--max-loras</c>.</summary>
    public const int DefaultMaxLoras = 4;

    /// <summary>The default <c>--validation-samples</c> (GENOME scores fitness on about 200 questions).</summary>
    public const int DefaultValidationSamples = 200;

    /// <summary>The command line help.</summary>
    public const string Usage = """
        Usage: GenomeVllm --vllm-url URL --experts FOLDER [options]
               GenomeVllm --make-dataset FILE [--seed S]

          --vllm-url URL            the vLLM server (http://HOST:PORT or .../v1); default: $GENESIS_VLLM_URL
          --experts FOLDER          a folder of PEFT adapter folders (adapter_config.json + adapter_model.safetensors)
          --dataset FILE|FOLDER     GSM8K-shaped JSONL: one file with a split field, or a folder of train/validation/test.jsonl;
                                    default: the synthetic data shipped with the sample (data/gsm8k-synthetic.jsonl)
          --max-loras K             adapters loaded on the server at once; must match vLLM's --max-loras (default 4)
          --adapter-root FOLDER     where children are written for the server to read (default: OUT/vllm-adapters)
          --server-adapter-root P   the same folder as the server sees it, when it differs (a container mount)
          --validation-samples N    validation questions scored per evaluation (default 200; fewer if the split is smaller)
          --test-samples N          test questions scored at the end (default: the whole test split)
          --evaluations N           validation evaluations GENOME+ may spend (default 100; at least the number of experts)
          --out FOLDER              run folder: genome.db, members/, best/, results.md; rerun to resume (default runs/genome-vllm)
          --seed S                  seed of the evolution, the baselines, the sub-samples and the server's sampling (default 42)
          --make-dataset FILE       write the synthetic GSM8K-shaped data set (100 train, 200 validation, 200 test) and exit
          --help                    print this text and exit
        """;

    /// <summary>The flags every sample takes.</summary>
    public required SampleOptions Sample { get; init; }

    /// <summary>The vLLM server, or <see langword="null"/> when neither <c>--vllm-url</c> nor <see cref="UrlVariable"/> is set.</summary>
    public Uri? VllmUrl { get; init; }

    /// <summary>The bearer token of the server (from <see cref="ApiKeyVariable"/> only, never from the command line), or <see langword="null"/>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The folder of expert adapter folders, or <see langword="null"/> when not given.</summary>
    public string? Experts { get; init; }

    /// <summary>The data set file or folder, or <see langword="null"/> for the shipped synthetic one.</summary>
    public string? Dataset { get; init; }

    /// <summary>Adapters loaded on the server at once.</summary>
    public int MaxLoras { get; init; } = DefaultMaxLoras;

    /// <summary>Where children are written, or <see langword="null"/> for <c>OUT/vllm-adapters</c>.</summary>
    public string? AdapterRoot { get; init; }

    /// <summary>The adapter folder as the server sees it, or <see langword="null"/> when it sees <see cref="AdapterRoot"/> itself.</summary>
    public string? ServerAdapterRoot { get; init; }

    /// <summary>Validation questions per evaluation.</summary>
    public int ValidationSamples { get; init; } = DefaultValidationSamples;

    /// <summary>Test questions, or <see langword="null"/> for the whole test split.</summary>
    public int? TestSamples { get; init; }

    /// <summary>When set, the data set is written to this file and nothing else is done.</summary>
    public string? MakeDataset { get; init; }

    /// <summary>Whether <c>--help</c> (or <c>-h</c>) was given: print <see cref="Usage"/> and do nothing else.</summary>
    public bool Help { get; init; }

    /// <summary>The folder children are written to: <see cref="AdapterRoot"/>, or <c>vllm-adapters</c> under <c>--out</c>.</summary>
    public string ResolvedAdapterRoot => AdapterRoot ?? Path.Combine(Sample.OutputFolder, "vllm-adapters");

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Reads an environment variable (<see cref="UrlVariable"/>, <see cref="ApiKeyVariable"/>); returns <see langword="null"/> when unset.</param>
    /// <exception cref="ArgumentException">An argument is unknown, lacks its value or has a bad one; the message names it and ends with the usage.</exception>
    public static GenomeVllmOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var common = new List<string>();
        Uri? url = null;
        string? experts = null, dataset = null, adapterRoot = null, serverRoot = null, makeDataset = null;
        int maxLoras = DefaultMaxLoras, validationSamples = DefaultValidationSamples;
        int? testSamples = null;
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw Problem($"{flag} needs a value");
            switch (flag)
            {
                case "--evaluations" or "--out" or "--seed":
                    common.Add(flag);
                    common.Add(Value());
                    break;
                case "--vllm-url":
                    url = ParseUrl(Value(), "--vllm-url");
                    break;
                case "--experts":
                    experts = Value();
                    break;
                case "--dataset":
                    dataset = Value();
                    break;
                case "--max-loras":
                    maxLoras = ParseInt(Value(), flag, 1, 1024);
                    break;
                case "--adapter-root":
                    adapterRoot = Value();
                    break;
                case "--server-adapter-root":
                    serverRoot = Value();
                    break;
                case "--validation-samples":
                    validationSamples = ParseInt(Value(), flag, 1, 1_000_000);
                    break;
                case "--test-samples":
                    testSamples = ParseInt(Value(), flag, 1, 1_000_000);
                    break;
                case "--make-dataset":
                    makeDataset = Value();
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                default:
                    throw Problem($"unknown argument '{flag}'");
            }
        }

        SampleOptions sample;
        try
        {
            sample = SampleOptions.Parse([.. common], DefaultEvaluations, DefaultOut);
        }
        catch (ArgumentException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(". Usage:", StringComparison.Ordinal);
            throw Problem(cut >= 0 ? message[..cut] : message);
        }

        if (url is null && environment(UrlVariable) is { Length: > 0 } fromEnvironment)
        {
            url = ParseUrl(fromEnvironment, UrlVariable);
        }

        return new GenomeVllmOptions
        {
            Sample = sample,
            VllmUrl = url,
            ApiKey = environment(ApiKeyVariable) is { Length: > 0 } key ? key : null,
            Experts = experts,
            Dataset = dataset,
            MaxLoras = maxLoras,
            AdapterRoot = adapterRoot,
            ServerAdapterRoot = serverRoot,
            ValidationSamples = validationSamples,
            TestSamples = testSamples,
            MakeDataset = makeDataset,
            Help = help,
        };
    }

    private static Uri ParseUrl(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw Problem($"{name} must be an http(s) address such as http://127.0.0.1:8000, was '{text}'");

    private static int ParseInt(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Problem(string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer between {min} and {max}, was '{text}'"));

    private static ArgumentException Problem(string problem) => new($"{problem}.\n{Usage}");
}
