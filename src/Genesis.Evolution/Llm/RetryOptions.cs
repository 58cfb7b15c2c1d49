namespace Genesis.Llm;

/// <summary>How a <see cref="RetryingChatClient"/> retries transient LLM failures. Immutable: derive variants with <c>with</c>.</summary>
/// <remarks>
/// Retried: HTTP 408, 429 and 5xx, connection failures, and attempts that time out. Never retried: other 4xx answers, and
/// anything once the caller's token is cancelled. The delay before a retry is the server's <c>Retry-After</c> when it sends
/// one (capped at <see cref="MaxDelay"/>), otherwise a uniformly random ("full jitter") delay between zero and
/// <c>min(MaxDelay, BaseDelay × 2^retry)</c>.
/// </remarks>
public sealed record RetryOptions
{
    /// <summary>The largest allowed <see cref="MaxRetries"/>.</summary>
    public const int MaxRetriesLimit = 100;

    /// <summary>The largest allowed <see cref="BaseDelay"/> and <see cref="MaxDelay"/>: one hour.</summary>
    public static readonly TimeSpan MaxDelayLimit = TimeSpan.FromHours(1);

    /// <summary>The largest allowed finite <see cref="AttemptTimeout"/>: one day.</summary>
    public static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromDays(1);

    /// <summary>How many times a failed call is retried after the first attempt. Default 4; between 0 and 100.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The backoff ceiling of the first retry; it doubles with each retry. Default 1 second; between 0 and 1 hour.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a retry, also the cap on a server's <c>Retry-After</c>. Default 30 seconds; between <see cref="BaseDelay"/> and 1 hour.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt may take before it is cancelled and counted as a transient failure. Default 120 seconds;
    /// between 1 millisecond and 1 day, or <see cref="Timeout.InfiniteTimeSpan"/> for no per-attempt timeout.
    /// For a streaming call the timeout covers the whole stream of that attempt.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The clock for backoff delays and attempt timeouts. Default <see cref="TimeProvider.System"/>; inject a fake one in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seeds the random source of the backoff jitter, so the same failures give the same delays. Default 0.</summary>
    public int JitterSeed { get; init; }

    /// <summary>Called before each retry's delay, for logging or counting; <see langword="null"/> (the default) for none.</summary>
    public Func<OnRetryArguments, ValueTask>? OnRetry { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed range.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            throw new ArgumentException($"RetryOptions.MaxRetries must be between 0 and {MaxRetriesLimit}, was {MaxRetries}.", nameof(MaxRetries));
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > MaxDelayLimit)
        {
            throw new ArgumentException($"RetryOptions.BaseDelay must be between 00:00:00 and {MaxDelayLimit}, was {BaseDelay}.", nameof(BaseDelay));
        }

        if (MaxDelay < BaseDelay || MaxDelay > MaxDelayLimit)
        {
            throw new ArgumentException(
                $"RetryOptions.MaxDelay must be between BaseDelay ({BaseDelay}) and {MaxDelayLimit}, was {MaxDelay}.", nameof(MaxDelay));
        }

        if (AttemptTimeout != Timeout.InfiniteTimeSpan && (AttemptTimeout < TimeSpan.FromMilliseconds(1) || AttemptTimeout > MaxAttemptTimeout))
        {
            throw new ArgumentException(
                $"RetryOptions.AttemptTimeout must be between 1 ms and {MaxAttemptTimeout} or infinite, was {AttemptTimeout}.", nameof(AttemptTimeout));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("RetryOptions.TimeProvider must not be null; use TimeProvider.System.", nameof(TimeProvider));
        }
    }
}
