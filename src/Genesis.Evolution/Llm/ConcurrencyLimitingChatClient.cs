using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Genesis.Llm;

/// <summary>
/// Lets at most <see cref="MaxConcurrency"/> calls reach the inner client at once; the others wait in turn and can be
/// cancelled while they wait. A streaming call holds its slot until the stream is finished or abandoned.
/// </summary>
public sealed class ConcurrencyLimitingChatClient : DelegatingChatClient
{
    /// <summary>The largest allowed <see cref="MaxConcurrency"/>.</summary>
    public const int MaxConcurrencyLimit = 1024;

    private readonly SemaphoreSlim _slots;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client to protect.</param>
    /// <param name="maxConcurrency">How many calls may run at once; between 1 and 1024.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is out of range.</exception>
    public ConcurrencyLimitingChatClient(IChatClient innerClient, int maxConcurrency)
        : base(innerClient)
    {
        if (maxConcurrency is < 1 or > MaxConcurrencyLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxConcurrency), maxConcurrency, $"maxConcurrency must be between 1 and {MaxConcurrencyLimit}, was {maxConcurrency}.");
        }

        MaxConcurrency = maxConcurrency;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <summary>How many calls may run at once.</summary>
    public int MaxConcurrency { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken)
                .WithCancellation(cancellationToken)
                .ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slots.Dispose();
        }

        base.Dispose(disposing);
    }
}
