using System.ClientModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;

namespace Genesis.Llm;

/// <summary>
/// Retries transient failures of the inner client (HTTP 408, 429, 5xx, connection failures, attempt timeouts) with
/// exponential backoff and full jitter, honouring a server's <c>Retry-After</c>. See <see cref="RetryOptions"/>.
/// </summary>
/// <remarks>
/// Each attempt runs under its own <see cref="RetryOptions.AttemptTimeout"/>; a timed-out attempt is reported as a
/// <see cref="TimeoutException"/>. When the caller's token is cancelled nothing is retried and the cancellation propagates.
/// After the last attempt the last failure is rethrown. A streaming call is retried only while it has yielded nothing.
/// </remarks>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client whose failures are retried.</param>
    /// <param name="options">The retry policy; <see langword="null"/> for the defaults of <see cref="RetryOptions"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public RetryingChatClient(IChatClient innerClient, RetryOptions? options = null)
        : base(innerClient)
    {
        Options = options ?? new RetryOptions();
        Options.Validate();
        _jitter = new Random(Options.JitterSeed);
    }

    /// <summary>The retry policy.</summary>
    public RetryOptions Options { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        IReadOnlyList<ChatMessage> conversation = Materialize(messages);
        for (int retry = 0; ; retry++)
        {
            Exception failure;
            using (var attempt = new Attempt(Options, cancellationToken))
            {
                try
                {
                    return await base.GetResponseAsync(conversation, options, attempt.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (attempt.IsRetriable(exception))
                {
                    failure = attempt.Failure!;
                }
            }

            await WaitBeforeRetryAsync(retry, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        IReadOnlyList<ChatMessage> conversation = Materialize(messages);
        for (int retry = 0; ; retry++)
        {
            Exception? failure = null;
            var attempt = new Attempt(Options, cancellationToken);
            IAsyncEnumerator<ChatResponseUpdate>? updates = null;
            try
            {
                bool any = false;
                try
                {
                    updates = base.GetStreamingResponseAsync(conversation, options, attempt.Token).GetAsyncEnumerator(attempt.Token);
                    any = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (attempt.IsRetriable(exception))
                {
                    failure = attempt.Failure;
                }

                if (failure is null)
                {
                    // Something (or the end) has arrived: from here on a failure is the caller's, never retried.
                    if (!any)
                    {
                        yield break;
                    }

                    yield return updates!.Current;
                    while (await attempt.MoveNextAsync(updates).ConfigureAwait(false))
                    {
                        yield return updates.Current;
                    }

                    yield break;
                }
            }
            finally
            {
                if (updates is not null)
                {
                    await updates.DisposeAsync().ConfigureAwait(false);
                }

                attempt.Dispose();
            }

            await WaitBeforeRetryAsync(retry, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="exception"/> is a transient failure: HTTP 408, 429 or 5xx, or a broken connection.</summary>
    /// <param name="exception">The failure of one attempt, other than a cancellation.</param>
    internal static bool IsTransient(Exception exception) =>
        exception switch
        {
            // Status 0: no response at all; System.ClientModel wraps the transport's exception.
            ClientResultException { Status: 0 } noResponse => noResponse.InnerException is HttpRequestException or IOException,
            ClientResultException withResponse => IsTransientStatus(withResponse.Status),
            HttpRequestException { StatusCode: null } => true,
            HttpRequestException withStatus => IsTransientStatus((int)withStatus.StatusCode!.Value),
            IOException => true,
            _ => false,
        };

    private static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;

    private static IReadOnlyList<ChatMessage> Materialize(IEnumerable<ChatMessage> messages) =>
        messages as IReadOnlyList<ChatMessage> ?? [.. messages];

    private async Task WaitBeforeRetryAsync(int retry, Exception failure, CancellationToken cancellationToken)
    {
        if (retry >= Options.MaxRetries)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        TimeSpan delay = DelayBeforeRetry(retry, failure);
        if (Options.OnRetry is { } onRetry)
        {
            await onRetry(new OnRetryArguments(retry + 1, delay, failure)).ConfigureAwait(false);
        }

        await Task.Delay(delay, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan DelayBeforeRetry(int retry, Exception failure)
    {
        if (TryGetRetryAfter(failure, out TimeSpan retryAfter))
        {
            return retryAfter < Options.MaxDelay ? retryAfter : Options.MaxDelay;
        }

        double ceiling = Math.Min(Options.MaxDelay.Ticks, Options.BaseDelay.Ticks * Math.Pow(2, retry));
        double fraction;
        lock (_jitterLock)
        {
            fraction = _jitter.NextDouble();
        }

        return TimeSpan.FromTicks((long)(ceiling * fraction));
    }

    private bool TryGetRetryAfter(Exception failure, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (failure is not ClientResultException clientFailure
            || clientFailure.GetRawResponse() is not { } response
            || !response.Headers.TryGetValue("Retry-After", out string? value)
            || string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            if (!double.IsFinite(seconds) || seconds < 0)
            {
                return false;
            }

            delay = TimeSpan.FromSeconds(Math.Min(seconds, RetryOptions.MaxDelayLimit.TotalSeconds));
            return true;
        }

        // The other form the header may take is an HTTP date.
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
        {
            TimeSpan untilThen = when - Options.TimeProvider.GetUtcNow();
            delay = untilThen > TimeSpan.Zero ? untilThen : TimeSpan.Zero;
            return true;
        }

        return false;
    }

    /// <summary>One attempt: its token (the caller's, plus the attempt timeout) and the classification of its failure.</summary>
    private sealed class Attempt : IDisposable
    {
        private readonly CancellationToken _callerToken;
        private readonly TimeSpan _timeout;
        private readonly CancellationTokenSource? _timeoutSource;
        private readonly CancellationTokenSource? _linkedSource;

        public Attempt(RetryOptions options, CancellationToken callerToken)
        {
            _callerToken = callerToken;
            _timeout = options.AttemptTimeout;
            if (_timeout == Timeout.InfiniteTimeSpan)
            {
                Token = callerToken;
                return;
            }

            _timeoutSource = new CancellationTokenSource(_timeout, options.TimeProvider);
            _linkedSource = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timeoutSource.Token);
            Token = _linkedSource.Token;
        }

        /// <summary>The token given to the inner client.</summary>
        public CancellationToken Token { get; }

        /// <summary>The failure to report when <see cref="IsRetriable"/> said yes; a timeout becomes a <see cref="TimeoutException"/>.</summary>
        public Exception? Failure { get; private set; }

        private bool TimedOut => _timeoutSource?.IsCancellationRequested == true;

        /// <summary>Classifies a failure of this attempt; never retriable once the caller has cancelled.</summary>
        public bool IsRetriable(Exception exception)
        {
            if (_callerToken.IsCancellationRequested)
            {
                return false;
            }

            // A cancellation the caller did not ask for: this attempt's timeout, or the transport's network timeout.
            Failure = exception switch
            {
                OperationCanceledException when TimedOut => TimedOutException(exception),
                OperationCanceledException => exception,
                _ when IsTransient(exception) => exception,
                _ => null,
            };
            return Failure is not null;
        }

        /// <summary>Moves to the next streamed update, reporting this attempt's timeout as a <see cref="TimeoutException"/>.</summary>
        public async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
        {
            try
            {
                return await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (TimedOut && !_callerToken.IsCancellationRequested)
            {
                throw TimedOutException(exception);
            }
        }

        public void Dispose()
        {
            _linkedSource?.Dispose();
            _timeoutSource?.Dispose();
        }

        private TimeoutException TimedOutException(Exception cancellation) =>
            new($"The chat call did not finish within RetryOptions.AttemptTimeout ({_timeout}).", cancellation);
    }
}
