namespace Genesis.Testing;

/// <summary>One request a <see cref="ScriptedOpenAiServer"/> received, with the fields tests assert on and the raw body.</summary>
public sealed class RecordedRequest
{
    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The request path, e.g. <c>/v1/chat/completions</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The <c>model</c> field, if any.</summary>
    public string? Model { get; init; }

    /// <summary>The <c>messages</c>; text parts of array-valued contents are concatenated.</summary>
    public IReadOnlyList<RecordedMessage> Messages { get; init; } = [];

    /// <summary>The <c>temperature</c> field, if any.</summary>
    public double? Temperature { get; init; }

    /// <summary>The <c>top_p</c> field, if any.</summary>
    public double? TopP { get; init; }

    /// <summary>The <c>max_completion_tokens</c> field (what the OpenAI package sends), else <c>max_tokens</c>, if any.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The <c>seed</c> field, if any.</summary>
    public long? Seed { get; init; }

    /// <summary>The <c>stop</c> sequences (a single string becomes one item).</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Whether <c>stream</c> was true.</summary>
    public bool Stream { get; init; }

    /// <summary>Whether <c>stream_options.include_usage</c> was true.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The <c>Authorization</c> header, or <see langword="null"/> when absent.</summary>
    public string? Authorization { get; init; }

    /// <summary>Whether an <c>Authorization</c> header was sent.</summary>
    public bool HasAuthorization => Authorization is not null;

    /// <summary>The body as received (empty for requests without one).</summary>
    public string RawJson { get; init; } = string.Empty;

    /// <summary>The text of the last user message, or the empty string: handy in a <see cref="ScriptedOpenAiServer.Responder"/>.</summary>
    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user")?.Content ?? string.Empty;
}

/// <summary>One chat message of a <see cref="RecordedRequest"/>.</summary>
/// <param name="Role">The role: <c>system</c>, <c>user</c>, <c>assistant</c>, …</param>
/// <param name="Content">The text content.</param>
public sealed record RecordedMessage(string Role, string Content);
