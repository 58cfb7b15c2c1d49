using Genesis.Tensors;

namespace Genesis.Serving;

/// <summary>How a <see cref="VllmAdapterEvaluator"/> reaches a vLLM server and samples from it.</summary>
public sealed class VllmOptions
{
    /// <summary>The server's base address, <c>http://127.0.0.1:8000</c> or <c>http://127.0.0.1:8000/v1</c> (the endpoints are under <c>/v1/</c>).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The folder adapters are written to; the server must be able to read it.</summary>
    public required string AdapterRoot { get; init; }

    /// <summary>
    /// The same folder as the server sees it (for example inside a container), or <see langword="null"/> when the server
    /// sees <see cref="AdapterRoot"/> at the same path.
    /// </summary>
    public string? ServerAdapterRoot { get; init; }

    /// <summary>The bearer token sent with every request, or <see langword="null"/> for none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>How many adapters are loaded on the server at once (vLLM's <c>--max-loras</c>). Default: 1.</summary>
    public int MaxLoras { get; init; } = 1;

    /// <summary>How many chat completions run at once for one adapter. Default: 8.</summary>
    public int MaxConcurrentRequests { get; init; } = 8;

    /// <summary>The time limit of one HTTP attempt. Default: 2 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times a request is retried after a 408, 429, 5xx, a network error or a timeout. Default: 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The wait before the first retry; it doubles on each further retry. Default: 500 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts (also caps a server's <c>Retry-After</c>). Default: 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The sampling temperature. Default: 0 (greedy).</summary>
    public double Temperature { get; init; }

    /// <summary>The nucleus-sampling probability mass. Default: 1.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>The most tokens one completion may generate. Default: 512.</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>The sampling seed, or <see langword="null"/> to send none. Default: 0.</summary>
    public long? Seed { get; init; }

    /// <summary>Whether <c>load_inplace</c> is sent with each load (vLLM 0.9 and later). Default: false.</summary>
    public bool LoadInplace { get; init; }

    /// <summary>The element type the adapter weights are written in: <see cref="SafetensorsDType.BF16"/> or <see cref="SafetensorsDType.F32"/>. Default: BF16.</summary>
    public SafetensorsDType DType { get; init; } = SafetensorsDType.BF16;

    /// <summary>The clock used for timeouts and backoff. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws when an option is out of range; the message names the option.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"VllmOptions.BaseUrl must be an absolute http(s) address, was '{BaseUrl}'.", nameof(BaseUrl));
        }

        if (string.IsNullOrWhiteSpace(AdapterRoot))
        {
            throw new ArgumentException("VllmOptions.AdapterRoot must be a folder path.", nameof(AdapterRoot));
        }

        if (ServerAdapterRoot is not null && string.IsNullOrWhiteSpace(ServerAdapterRoot))
        {
            throw new ArgumentException("VllmOptions.ServerAdapterRoot must be null or a folder path.", nameof(ServerAdapterRoot));
        }

        Check(MaxLoras is >= 1 and <= 1024, nameof(MaxLoras), $"between 1 and 1024, was {MaxLoras}");
        Check(MaxConcurrentRequests is >= 1 and <= 1024, nameof(MaxConcurrentRequests), $"between 1 and 1024, was {MaxConcurrentRequests}");
        Check(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), $"positive, was {RequestTimeout}");
        Check(MaxRetries is >= 0 and <= 100, nameof(MaxRetries), $"between 0 and 100, was {MaxRetries}");
        Check(InitialBackoff >= TimeSpan.Zero, nameof(InitialBackoff), $"zero or positive, was {InitialBackoff}");
        Check(MaxBackoff >= InitialBackoff, nameof(MaxBackoff), $"at least InitialBackoff, was {MaxBackoff}");
        Check(double.IsFinite(Temperature) && Temperature >= 0, nameof(Temperature), $"finite and non-negative, was {Temperature}");
        Check(double.IsFinite(TopP) && TopP is > 0 and <= 1, nameof(TopP), $"in (0, 1], was {TopP}");
        Check(MaxTokens >= 1, nameof(MaxTokens), $"at least 1, was {MaxTokens}");
        Check(DType is SafetensorsDType.BF16 or SafetensorsDType.F32, nameof(DType), $"BF16 or F32, was {DType}");
        if (TimeProvider is null)
        {
            throw new ArgumentException("VllmOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }
    }

    private static void Check(bool ok, string name, string requirement)
    {
        if (!ok)
        {
            throw new ArgumentException($"VllmOptions.{name} must be {requirement}.", name);
        }
    }
}
