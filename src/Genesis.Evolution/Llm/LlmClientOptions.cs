namespace Genesis.Llm;

/// <summary>The layers <see cref="GenesisLlm.Create"/> puts around the OpenAI-compatible client. Immutable: derive variants with <c>with</c>.</summary>
public sealed record LlmClientOptions
{
    /// <summary>The retry policy. Default: the defaults of <see cref="RetryOptions"/>.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>How many calls may reach the server at once (a call keeps its slot across its retries). Default 4; between 1 and 1024.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>The model's price, offered by the pipeline's <c>GetService(typeof(ModelPrice))</c>; <see langword="null"/> (the default) when unknown.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field and its allowed range.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Retry is null)
        {
            throw new ArgumentException("LlmClientOptions.Retry must not be null; use new RetryOptions() for the defaults.", nameof(Retry));
        }

        Retry.Validate();
        if (MaxConcurrency is < 1 or > ConcurrencyLimitingChatClient.MaxConcurrencyLimit)
        {
            throw new ArgumentException(
                $"LlmClientOptions.MaxConcurrency must be between 1 and {ConcurrencyLimitingChatClient.MaxConcurrencyLimit}, was {MaxConcurrency}.",
                nameof(MaxConcurrency));
        }
    }
}
