using Microsoft.Extensions.AI;

namespace Genesis.Testing;

/// <summary>
/// A hand-written <see cref="IChatClient"/> driven by callbacks: set the callback of each operation a test uses; an unset
/// callback throws <see cref="InvalidOperationException"/>, so an unexpected call fails the test loudly.
/// </summary>
public sealed class FakeChatClient : IChatClient
{
    /// <summary>Answers <see cref="GetResponseAsync"/>.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Answers <see cref="GetStreamingResponseAsync"/>.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    /// <summary>Answers <see cref="GetService"/>; by default the client itself when asked for a type it is.</summary>
    public Func<Type, object?, object?>? GetServiceCallback { get; set; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (GetResponseAsyncCallback ?? throw new InvalidOperationException($"{nameof(GetResponseAsyncCallback)} is not set."))(messages, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (GetStreamingResponseAsyncCallback ?? throw new InvalidOperationException($"{nameof(GetStreamingResponseAsyncCallback)} is not set."))(
            messages, options, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (GetServiceCallback is { } callback)
        {
            return callback(serviceType, serviceKey);
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose() => IsDisposed = true;
}
