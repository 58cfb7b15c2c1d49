namespace Genesis.Testing;

/// <summary>
/// One scripted answer of a <see cref="ScriptedOpenAiServer"/>. Make one with <see cref="Completion"/>, <see cref="Status"/>,
/// <see cref="Delay"/> or <see cref="Malformed"/>.
/// </summary>
public abstract record ScriptedReply
{
    private protected ScriptedReply()
    {
    }

    /// <summary>A successful completion: JSON, or server-sent events when the request asks to stream.</summary>
    /// <param name="text">The assistant's text. When streamed it arrives word by word (each piece keeps its trailing whitespace).</param>
    /// <param name="finishReason">The <c>finish_reason</c>: <c>stop</c>, <c>length</c>, <c>content_filter</c>, …</param>
    /// <param name="promptTokens">The reported prompt tokens; <see langword="null"/> estimates a token per 4 characters of the request's messages.</param>
    /// <param name="completionTokens">The reported completion tokens; <see langword="null"/> estimates a token per 4 characters of <paramref name="text"/>.</param>
    public static ScriptedReply Completion(string text, string finishReason = "stop", int? promptTokens = null, int? completionTokens = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(finishReason);
        return new CompletionReply(text, finishReason, promptTokens, completionTokens);
    }

    /// <summary>An HTTP error (or any status) with a body, before anything is streamed.</summary>
    /// <param name="statusCode">The status code, e.g. 429, 500, 400.</param>
    /// <param name="body">The body; <see langword="null"/> for an OpenAI-style <c>{"error": {...}}</c> object.</param>
    /// <param name="retryAfterSeconds">When set, sent as the <c>Retry-After</c> header.</param>
    public static ScriptedReply Status(int statusCode, string? body = null, int? retryAfterSeconds = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new StatusReply(statusCode, body ?? ScriptedOpenAiServer.ErrorBody($"scripted status {statusCode}", statusCode), retryAfterSeconds);
    }

    /// <summary>Waits <paramref name="delay"/> before answering with <paramref name="then"/>: provokes client timeouts. The wait ends early if the client hangs up.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <param name="then">The answer after the wait.</param>
    public static ScriptedReply Delay(TimeSpan delay, ScriptedReply then)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(then);
        return new DelayedReply(delay, then);
    }

    /// <summary>A 200 answer whose body is <paramref name="body"/> verbatim (as JSON content type), such as a truncated or invalid document.</summary>
    /// <param name="body">The body to send.</param>
    public static ScriptedReply Malformed(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new MalformedReply(body);
    }

    /// <summary>See <see cref="Completion"/>.</summary>
    /// <param name="Text">The assistant's text.</param>
    /// <param name="FinishReason">The finish reason.</param>
    /// <param name="PromptTokens">The prompt tokens, or <see langword="null"/> to estimate.</param>
    /// <param name="CompletionTokens">The completion tokens, or <see langword="null"/> to estimate.</param>
    public sealed record CompletionReply(string Text, string FinishReason, int? PromptTokens, int? CompletionTokens) : ScriptedReply;

    /// <summary>See <see cref="Status"/>.</summary>
    /// <param name="StatusCode">The HTTP status.</param>
    /// <param name="Body">The body.</param>
    /// <param name="RetryAfterSeconds">The <c>Retry-After</c> header, if any.</param>
    public sealed record StatusReply(int StatusCode, string Body, int? RetryAfterSeconds) : ScriptedReply;

    /// <summary>See <see cref="Delay"/>.</summary>
    /// <param name="Wait">How long to wait.</param>
    /// <param name="Then">The answer after the wait.</param>
    public sealed record DelayedReply(TimeSpan Wait, ScriptedReply Then) : ScriptedReply;

    /// <summary>See <see cref="Malformed"/>.</summary>
    /// <param name="Body">The body sent verbatim.</param>
    public sealed record MalformedReply(string Body) : ScriptedReply;
}
