namespace Genesis.Llm;

/// <summary>What <see cref="RetryOptions.OnRetry"/> is told before a retry.</summary>
/// <param name="RetryNumber">1 for the first retry (the second attempt), 2 for the next, and so on.</param>
/// <param name="Delay">How long the client waits before the retry.</param>
/// <param name="Failure">Why the previous attempt failed. A timed-out attempt is a <see cref="TimeoutException"/>.</param>
public readonly record struct OnRetryArguments(int RetryNumber, TimeSpan Delay, Exception Failure);
