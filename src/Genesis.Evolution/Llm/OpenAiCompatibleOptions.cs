namespace Genesis.Llm;

/// <summary>
/// Where and how an <see cref="OpenAiCompatibleChatClient"/> reaches a server that speaks the OpenAI chat completions API
/// (OpenAI, Azure OpenAI's v1 endpoint, vLLM, Ollama, llama.cpp server, LM Studio).
/// </summary>
/// <remarks><see cref="ToString"/> never shows the API key.</remarks>
public sealed class OpenAiCompatibleOptions
{
    /// <summary>The key sent as <c>Authorization: Bearer …</c> when <see cref="ApiKey"/> is not set. Local servers ignore it; the OpenAI package refuses an empty key.</summary>
    public const string PlaceholderApiKey = "genesis-no-key";

    /// <summary>The longest allowed <see cref="NetworkTimeout"/> other than <see cref="Timeout.InfiniteTimeSpan"/>: one day.</summary>
    public static readonly TimeSpan MaxNetworkTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// The API's base URL, the part before <c>/chat/completions</c>: <c>https://api.openai.com/v1</c> or <c>http://127.0.0.1:8000/v1</c>.
    /// Must be an absolute http or https URI; a trailing slash is allowed.
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The model requested when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> does not name another one.</summary>
    public required string Model { get; init; }

    /// <summary>The API key, or <see langword="null"/> (the default) for servers that need none; <see cref="PlaceholderApiKey"/> is then sent.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// How long the HTTP transport waits for one response before giving up. Default: 10 minutes, deliberately longer than
    /// <see cref="RetryOptions.AttemptTimeout"/> so that the retry layer's per-attempt timeout is the one that normally fires.
    /// Between 1 millisecond and <see cref="MaxNetworkTimeout"/>, or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Endpoint is null || !LlmUris.IsHttpEndpoint(Endpoint))
        {
            throw new ArgumentException(
                $"OpenAiCompatibleOptions.Endpoint must be an absolute http or https URI such as http://127.0.0.1:8000/v1, was '{LlmUris.Display(Endpoint)}'.",
                nameof(Endpoint));
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("OpenAiCompatibleOptions.Model must name a model, was empty.", nameof(Model));
        }

        if (ApiKey is not null && ApiKey.Length == 0)
        {
            throw new ArgumentException("OpenAiCompatibleOptions.ApiKey must be null (no key) or non-empty, was empty.", nameof(ApiKey));
        }

        if (NetworkTimeout != Timeout.InfiniteTimeSpan && (NetworkTimeout < TimeSpan.FromMilliseconds(1) || NetworkTimeout > MaxNetworkTimeout))
        {
            throw new ArgumentException(
                $"OpenAiCompatibleOptions.NetworkTimeout must be between 1 ms and {MaxNetworkTimeout} or infinite, was {NetworkTimeout}.",
                nameof(NetworkTimeout));
        }
    }

    /// <summary>Describes the options without the API key (and without any user info in the endpoint).</summary>
    public override string ToString() =>
        $"OpenAiCompatibleOptions {{ Endpoint = {LlmUris.Display(Endpoint)}, Model = {Model}, ApiKey = {(ApiKey is null ? "(none)" : "(set)")}, NetworkTimeout = {NetworkTimeout} }}";
}
