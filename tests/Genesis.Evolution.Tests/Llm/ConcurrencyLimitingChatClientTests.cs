using System.Runtime.CompilerServices;
using Genesis.Llm;
using Genesis.Testing;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Llm;

public sealed class ConcurrencyLimitingChatClientTests
{
    /// <summary>An inner client that counts the calls inside it and holds them until <see cref="Release"/>.</summary>
    private sealed class GatedInner : IDisposable
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inside;
        private int _maxInside;
        private int _entered;

        public GatedInner() =>
            Client = new FakeChatClient
            {
                GetResponseAsyncCallback = async (_, _, token) =>
                {
                    Enter();
                    try
                    {
                        await _gate.Task.WaitAsync(token);
                        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _inside);
                    }
                },
                GetStreamingResponseAsyncCallback = (_, _, token) => StreamAsync(token),
            };

        public FakeChatClient Client { get; }

        public int Inside => Volatile.Read(ref _inside);

        public int MaxInside => Volatile.Read(ref _maxInside);

        public int Entered => Volatile.Read(ref _entered);

        public void Release() => _gate.TrySetResult();

        public void Dispose() => Client.Dispose();

        private void Enter()
        {
            Interlocked.Increment(ref _entered);
            int now = Interlocked.Increment(ref _inside);
            int max;
            while (now > (max = Volatile.Read(ref _maxInside)) && Interlocked.CompareExchange(ref _maxInside, now, max) != max)
            {
            }
        }

        private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync([EnumeratorCancellation] CancellationToken token)
        {
            Enter();
            try
            {
                await _gate.Task.WaitAsync(token);
                yield return new ChatResponseUpdate(ChatRole.Assistant, "ok");
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        }
    }

    [Fact]
    public async Task The_limit_is_never_exceeded()
    {
        using var inner = new GatedInner();
        using var client = inner.Client.WithConcurrencyLimit(3);

        // A free slot is taken synchronously, so after this loop exactly three calls are inside and seven wait.
        Task<ChatResponse>[] calls = [.. Enumerable.Range(0, 10).Select(_ => client.GetResponseAsync("Hi"))];
        Assert.Equal(3, inner.Inside);

        inner.Release();
        ChatResponse[] responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal("ok", r.Text));
        Assert.Equal(10, inner.Entered);
        Assert.Equal(3, inner.MaxInside);
    }

    [Fact]
    public async Task A_stream_holds_its_slot_until_it_ends()
    {
        using var inner = new GatedInner();
        using var client = inner.Client.WithConcurrencyLimit(1);

        async Task<string> ReadAsync()
        {
            var text = string.Empty;
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi"))
            {
                text += update.Text;
            }

            return text;
        }

        Task<string> first = ReadAsync();
        Task<string> second = ReadAsync();
        Task<ChatResponse> third = client.GetResponseAsync("Hi");
        Assert.Equal(1, inner.Entered);

        inner.Release();

        Assert.Equal(["ok", "ok"], await Task.WhenAll(first, second));
        Assert.Equal("ok", (await third).Text);
        Assert.Equal(1, inner.MaxInside);
    }

    [Fact]
    public async Task A_waiting_call_can_be_cancelled_and_frees_nothing_it_did_not_take()
    {
        using var inner = new GatedInner();
        using var client = inner.Client.WithConcurrencyLimit(1);
        using var cancel = new CancellationTokenSource();

        Task<ChatResponse> running = client.GetResponseAsync("Hi");
        Task<ChatResponse> waiting = client.GetResponseAsync("Hi", cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, inner.Entered);

        inner.Release();
        Assert.Equal("ok", (await running).Text);
        Assert.Equal("ok", (await client.GetResponseAsync("Hi")).Text);
        Assert.Equal(1, inner.MaxInside);
    }

    [Fact]
    public async Task The_token_reaches_the_inner_client()
    {
        CancellationToken seen = default;
        using var inner = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, token) =>
            {
                seen = token;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
        };
        using var client = new ConcurrencyLimitingChatClient(inner, 2);
        using var caller = new CancellationTokenSource();

        await client.GetResponseAsync("Hi", cancellationToken: caller.Token);

        Assert.Equal(caller.Token, seen);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void The_limit_must_be_in_range(int maxConcurrency)
    {
        using var inner = new FakeChatClient();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimitingChatClient(inner, maxConcurrency));

        Assert.Contains("between 1 and 1024", error.Message, StringComparison.Ordinal);
    }
}
