using System.Text;
using Genesis.Adapters;
using Genesis.Lora;
using Genesis.Scoring;

namespace Genesis.Serving;

/// <summary>
/// Scores adapters on a running vLLM server: each adapter is written in PEFT format to
/// <c>&lt;AdapterRoot&gt;/&lt;unique name&gt;</c>, loaded with <c>POST /v1/load_lora_adapter</c>, evaluated with chat
/// completions whose <c>model</c> is the adapter's name, then unloaded (also on failure or cancellation) and its folder
/// deleted. At most <see cref="VllmOptions.MaxLoras"/> adapters are loaded at once, however many evaluations run.
/// </summary>
public sealed class VllmAdapterEvaluator : IAdapterEvaluator, IDisposable
{
    private readonly VllmOptions _options;
    private readonly IReadOnlyList<FitnessTask> _validation;
    private readonly IReadOnlyList<FitnessTask> _test;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="options">The server and sampling options; they are validated.</param>
    /// <param name="validation">The tasks of the validation split (samples, scorer, weight).</param>
    /// <param name="test">The tasks of the test split, or <see langword="null"/> to reuse <paramref name="validation"/>.</param>
    /// <param name="http">The HTTP client, or <see langword="null"/> for one the evaluator owns.</param>
    /// <exception cref="ArgumentException">An option is invalid or there are no validation tasks.</exception>
    public VllmAdapterEvaluator(VllmOptions options, IReadOnlyList<FitnessTask> validation, IReadOnlyList<FitnessTask>? test = null, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validation);
        options.Validate();
        if (validation.Count == 0)
        {
            throw new ArgumentException("VllmAdapterEvaluator: there must be at least one validation task.", nameof(validation));
        }

        _options = options;
        _validation = validation;
        _test = test ?? validation;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _slots = new SemaphoreSlim(options.MaxLoras, options.MaxLoras);
        Client = new VllmClient(_http, options);
    }

    /// <summary>The HTTP client of the server.</summary>
    public VllmClient Client { get; }

    /// <summary>Evaluates several adapters, at most <see cref="VllmOptions.MaxLoras"/> at once; reports are in input order.</summary>
    /// <param name="adapters">The adapters.</param>
    /// <param name="split">The split.</param>
    /// <param name="cancellationToken">Stops the evaluations; loaded adapters are unloaded.</param>
    public async Task<IReadOnlyList<FitnessReport>> EvaluateManyAsync(IReadOnlyList<LoraAdapter> adapters, EvaluationSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        return await Task.WhenAll(adapters.Select(a => EvaluateAsync(a, split, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Saves, loads, evaluates, unloads and deletes one adapter.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="split">The split whose tasks are run.</param>
    /// <param name="cancellationToken">Stops the evaluation; the adapter is still unloaded and its folder deleted.</param>
    /// <returns>The fitness report.</returns>
    /// <exception cref="VllmRequestException">The server rejected the adapter or a request kept failing; the message names the adapter.</exception>
    public async Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var tasks = split == EvaluationSplit.Test ? _test : _validation;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string name = UniqueName(adapter.Name);
            string folder = Path.Combine(_options.AdapterRoot, name);
            string serverPath = _options.ServerAdapterRoot is null
                ? Path.GetFullPath(folder)
                : _options.ServerAdapterRoot.TrimEnd('/', '\\') + "/" + name;
            var mayBeLoaded = false;
            var succeeded = false;
            try
            {
                adapter.Save(folder, _options.DType);
                mayBeLoaded = true;
                try
                {
                    await Client.LoadAdapterAsync(name, serverPath, cancellationToken).ConfigureAwait(false);
                }
                catch (VllmRequestException ex) when (ex.StatusCode is { } status && (int)status is >= 400 and < 500)
                {
                    mayBeLoaded = false;
                    throw;
                }

                var report = await Fitness.EvaluateAsync(
                    tasks,
                    (sample, token) => new ValueTask<string>(Client.CompleteAsync(name, sample.Prompt, token)),
                    _options.MaxConcurrentRequests,
                    cancellationToken).ConfigureAwait(false);
                succeeded = true;
                return report;
            }
            finally
            {
                try
                {
                    if (mayBeLoaded)
                    {
                        // Not the caller's token: a cancelled evaluation must still free the server's slot.
                        await UnloadAsync(name, rethrow: succeeded).ConfigureAwait(false);
                    }
                }
                finally
                {
                    TryDelete(folder);
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Disposes the owned HTTP client.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _slots.Dispose();
    }

    private async Task UnloadAsync(string name, bool rethrow)
    {
        try
        {
            await Client.UnloadAdapterAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (VllmRequestException) when (!rethrow)
        {
            // The evaluation already failed; its exception is the one worth reporting.
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string UniqueName(string adapterName)
    {
        var builder = new StringBuilder();
        foreach (char c in adapterName)
        {
            if (builder.Length >= 40)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        string stem = builder.Length == 0 || builder.ToString().Trim('.').Length == 0 ? "adapter" : builder.ToString();
        return $"{stem}-{Guid.NewGuid():N}"[..Math.Min(stem.Length + 13, stem.Length + 33)];
    }
}
