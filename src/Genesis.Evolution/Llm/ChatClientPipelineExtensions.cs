using Genesis.Llm;

namespace Microsoft.Extensions.AI;

/// <summary>Adds Genesis's middleware around any <see cref="IChatClient"/>.</summary>
public static class ChatClientPipelineExtensions
{
    /// <summary>Wraps <paramref name="client"/> in a <see cref="RetryingChatClient"/>.</summary>
    /// <param name="client">The client whose transient failures are retried.</param>
    /// <param name="options">The retry policy; <see langword="null"/> for the defaults.</param>
    public static RetryingChatClient WithRetry(this IChatClient client, RetryOptions? options = null) => new(client, options);

    /// <summary>Wraps <paramref name="client"/> in a <see cref="ConcurrencyLimitingChatClient"/>.</summary>
    /// <param name="client">The client to protect.</param>
    /// <param name="maxConcurrency">How many calls may run at once; between 1 and 1024.</param>
    public static ConcurrencyLimitingChatClient WithConcurrencyLimit(this IChatClient client, int maxConcurrency) => new(client, maxConcurrency);

    /// <summary>The model's price if the pipeline knows it (see <see cref="LlmClientOptions.Price"/>), else <see langword="null"/>.</summary>
    /// <param name="client">The pipeline.</param>
    public static ModelPrice? GetModelPrice(this IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetService(typeof(ModelPrice)) as ModelPrice;
    }
}
