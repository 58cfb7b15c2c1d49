using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using Genesis.Llm;
using Genesis.Testing;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Llm;

public sealed class RetryingChatClientTests : IAsyncLifetime
{
    private ScriptedOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Real HTTP through the real adapter, with a clock whose delays pass at once.</summary>
    private RetryingChatClient Client(InstantTimeProvider clock, int maxRetries = 4, Func<OnRetryArguments, ValueTask>? onRetry = null) =>
        new OpenAiCompatibleChatClient(new OpenAiCompatibleOptions { Endpoint = _server.BaseUri, Model = "m" }).WithRetry(new RetryOptions
        {
            MaxRetries = maxRetries,
            TimeProvider = clock,
            AttemptTimeout = Timeout.InfiniteTimeSpan,
            OnRetry = onRetry,
        });

    private static ChatResponse Answer(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static HttpRequestException HttpFailure(HttpStatusCode status) => new("scripted failure", null, status);

    [Fact]
    public async Task A_429_with_retry_after_is_retried_once_after_the_servers_delay()
    {
        _server.Enqueue(ScriptedReply.Status(429, retryAfterSeconds: 1), ScriptedReply.Completion("ok"));
        var clock = new InstantTimeProvider();
        var retries = new List<OnRetryArguments>();
        using var client = Client(clock, onRetry: r => { retries.Add(r); return ValueTask.CompletedTask; });

        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        OnRetryArguments retry = Assert.Single(retries);
        Assert.Equal(1, retry.RetryNumber);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
        Assert.Equal(429, Assert.IsType<ClientResultException>(retry.Failure).Status);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.DueTimes);
    }

    [Fact]
    public async Task Retry_after_is_capped_at_the_max_delay()
    {
        _server.Enqueue(ScriptedReply.Status(503, retryAfterSeconds: 600), ScriptedReply.Completion("ok"));
        var clock = new InstantTimeProvider();
        using var client = new OpenAiCompatibleChatClient(new OpenAiCompatibleOptions { Endpoint = _server.BaseUri, Model = "m" })
            .WithRetry(new RetryOptions { TimeProvider = clock, AttemptTimeout = Timeout.InfiniteTimeSpan, MaxDelay = TimeSpan.FromSeconds(5) });

        await client.GetResponseAsync("Hi");

        Assert.Equal([TimeSpan.FromSeconds(5)], clock.DueTimes);
    }

    [Fact]
    public async Task Two_500s_then_success_succeeds_with_backoff_under_the_ceiling()
    {
        _server.Enqueue(ScriptedReply.Status(500), ScriptedReply.Status(500), ScriptedReply.Completion("ok"));
        var clock = new InstantTimeProvider();
        var retries = new List<OnRetryArguments>();
        using var client = Client(clock, onRetry: r => { retries.Add(r); return ValueTask.CompletedTask; });

        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal([1, 2], retries.Select(r => r.RetryNumber));
        Assert.InRange(retries[0].Delay, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.InRange(retries[1].Delay, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        _server.Enqueue(ScriptedReply.Status(400), ScriptedReply.Completion("never"));
        using var client = Client(new InstantTimeProvider());

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(400, failure.Status);
        Assert.Single(_server.Requests);
        Assert.Equal(1, _server.PendingReplies);
    }

    [Fact]
    public async Task When_retries_are_exhausted_the_last_failure_is_thrown()
    {
        _server.Enqueue(ScriptedReply.Status(502), ScriptedReply.Status(503), ScriptedReply.Status(504));
        using var client = Client(new InstantTimeProvider(), maxRetries: 2);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(504, failure.Status);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        _server.Enqueue(ScriptedReply.Delay(TimeSpan.FromSeconds(30), ScriptedReply.Completion("too late")), ScriptedReply.Completion("ok"));
        using var client = new OpenAiCompatibleChatClient(new OpenAiCompatibleOptions { Endpoint = _server.BaseUri, Model = "m" })
            .WithRetry(new RetryOptions { AttemptTimeout = TimeSpan.FromMilliseconds(200), BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });

        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task When_every_attempt_times_out_a_timeout_exception_is_thrown()
    {
        var calls = 0;
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                Interlocked.Increment(ref calls);
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                throw new InvalidOperationException("unreachable");
            },
        };
        using var client = inner.WithRetry(new RetryOptions
        {
            MaxRetries = 1, AttemptTimeout = TimeSpan.FromMilliseconds(50), BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero,
        });

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync("Hi"));

        Assert.Contains("AttemptTimeout", failure.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(failure.InnerException);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Caller_cancellation_reaches_the_inner_client_and_is_not_retried()
    {
        var calls = 0;
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                Interlocked.Increment(ref calls);
                entered.TrySetResult(token);
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                throw new InvalidOperationException("unreachable");
            },
        };
        using var client = inner.WithRetry(new RetryOptions { TimeProvider = new InstantTimeProvider(), AttemptTimeout = Timeout.InfiniteTimeSpan });
        using var caller = new CancellationTokenSource();

        Task<ChatResponse> call = client.GetResponseAsync("Hi", cancellationToken: caller.Token);
        CancellationToken seen = await entered.Task;
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(caller.Token, seen);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task With_an_attempt_timeout_the_inner_token_is_linked_to_the_callers()
    {
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                entered.TrySetResult(token);
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                throw new InvalidOperationException("unreachable");
            },
        };
        using var client = inner.WithRetry();
        using var caller = new CancellationTokenSource();

        Task<ChatResponse> call = client.GetResponseAsync("Hi", cancellationToken: caller.Token);
        CancellationToken seen = await entered.Task;
        Assert.False(seen.IsCancellationRequested);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task A_failure_after_the_caller_cancelled_is_not_retried()
    {
        var calls = 0;
        using var caller = new CancellationTokenSource();
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, _) =>
            {
                Interlocked.Increment(ref calls);
                await caller.CancelAsync();
                throw HttpFailure(HttpStatusCode.ServiceUnavailable);
            },
        };
        using var client = inner.WithRetry(new RetryOptions { TimeProvider = new InstantTimeProvider(), AttemptTimeout = Timeout.InfiniteTimeSpan });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("Hi", cancellationToken: caller.Token));

        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public async Task Http_request_exceptions_are_retried_by_status(HttpStatusCode status, bool retried)
    {
        var calls = 0;
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
                Interlocked.Increment(ref calls) == 1 ? Task.FromException<ChatResponse>(HttpFailure(status)) : Task.FromResult(Answer("ok")),
        };
        using var client = inner.WithRetry(new RetryOptions { TimeProvider = new InstantTimeProvider(), AttemptTimeout = Timeout.InfiniteTimeSpan });

        if (retried)
        {
            Assert.Equal("ok", (await client.GetResponseAsync("Hi")).Text);
            Assert.Equal(2, calls);
        }
        else
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("Hi"));
            Assert.Equal(1, calls);
        }
    }

    [Fact]
    public async Task A_refused_connection_is_retried()
    {
        var calls = 0;
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
                Interlocked.Increment(ref calls) == 1
                    ? Task.FromException<ChatResponse>(new HttpRequestException("Connection refused"))
                    : Task.FromResult(Answer("ok")),
        };
        using var client = inner.WithRetry(new RetryOptions { TimeProvider = new InstantTimeProvider(), AttemptTimeout = Timeout.InfiniteTimeSpan });

        Assert.Equal("ok", (await client.GetResponseAsync("Hi")).Text);
    }

    [Fact]
    public async Task The_same_jitter_seed_gives_the_same_delays()
    {
        async Task<IReadOnlyList<TimeSpan>> DelaysAsync(int seed)
        {
            var calls = 0;
            using var inner = new FakeChatClient
            {
                GetResponseAsyncCallback = (_, _, _) =>
                    Interlocked.Increment(ref calls) <= 4
                        ? Task.FromException<ChatResponse>(HttpFailure(HttpStatusCode.InternalServerError))
                        : Task.FromResult(Answer("ok")),
            };
            var clock = new InstantTimeProvider();
            using var client = inner.WithRetry(new RetryOptions { TimeProvider = clock, AttemptTimeout = Timeout.InfiniteTimeSpan, JitterSeed = seed });
            await client.GetResponseAsync("Hi");
            return clock.DueTimes;
        }

        IReadOnlyList<TimeSpan> first = await DelaysAsync(7);
        IReadOnlyList<TimeSpan> again = await DelaysAsync(7);
        IReadOnlyList<TimeSpan> other = await DelaysAsync(8);

        Assert.Equal(4, first.Count);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        for (int i = 0; i < first.Count; i++)
        {
            // Timers are set in whole milliseconds.
            Assert.InRange(first[i], TimeSpan.Zero, TimeSpan.FromSeconds(Math.Pow(2, i)) + TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task Streaming_is_retried_when_nothing_was_yielded()
    {
        _server.Enqueue(ScriptedReply.Status(503), ScriptedReply.Completion("one two"));
        using var client = Client(new InstantTimeProvider());

        var text = new List<string>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi"))
        {
            text.Add(update.Text);
        }

        Assert.Equal("one two", string.Concat(text));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Streaming_is_not_retried_after_an_update_was_yielded()
    {
        var calls = 0;
        using var inner = new FakeChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) =>
            {
                Interlocked.Increment(ref calls);
                return FailAfterOneUpdateAsync(token);
            },
        };
        using var client = inner.WithRetry(new RetryOptions { TimeProvider = new InstantTimeProvider(), AttemptTimeout = Timeout.InfiniteTimeSpan });

        var received = new List<string>();
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["partial"], received);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_stream_that_ends_without_updates_is_not_retried()
    {
        var calls = 0;
        using var inner = new FakeChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) =>
            {
                Interlocked.Increment(ref calls);
                return AsyncEnumerable.Empty<ChatResponseUpdate>();
            },
        };
        using var client = inner.WithRetry();

        var count = 0;
        await foreach (ChatResponseUpdate unused in client.GetStreamingResponseAsync("Hi"))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Equal(1, calls);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> FailAfterOneUpdateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "partial");
        cancellationToken.ThrowIfCancellationRequested();
        throw HttpFailure(HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("MaxRetries", "between 0 and 100")]
    [InlineData("BaseDelay", "between 00:00:00 and 01:00:00")]
    [InlineData("MaxDelay", "between BaseDelay")]
    [InlineData("AttemptTimeout", "between 1 ms and 1.00:00:00 or infinite")]
    [InlineData("TimeProvider", "must not be null")]
    public void Invalid_options_are_named_with_their_range(string field, string range)
    {
        RetryOptions options = field switch
        {
            "MaxRetries" => new RetryOptions { MaxRetries = -1 },
            "BaseDelay" => new RetryOptions { BaseDelay = TimeSpan.FromSeconds(-1) },
            "MaxDelay" => new RetryOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) },
            "AttemptTimeout" => new RetryOptions { AttemptTimeout = TimeSpan.Zero },
            _ => new RetryOptions { TimeProvider = null! },
        };
        using var inner = new FakeChatClient();

        var error = Assert.Throws<ArgumentException>(() => new RetryingChatClient(inner, options));

        Assert.Contains($"RetryOptions.{field}", error.Message, StringComparison.Ordinal);
        Assert.Contains(range, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new RetryOptions();

        Assert.Equal(4, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(120), options.AttemptTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        options.Validate();
    }
}
