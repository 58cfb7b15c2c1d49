using Microsoft.Extensions.AI;

namespace Genesis.Llm;

/// <summary>What a model costs per million tokens, in the user's currency; <see cref="Cost"/> prices one call's usage.</summary>
/// <remarks>Cached input tokens are priced as ordinary input tokens, so the cost is an upper bound for providers that discount them.</remarks>
public sealed record ModelPrice
{
    /// <summary>Creates a price.</summary>
    /// <param name="inputPerMillionTokens">The price of a million prompt tokens; finite and not negative.</param>
    /// <param name="outputPerMillionTokens">The price of a million generated tokens; finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative, infinite or NaN.</exception>
    public ModelPrice(double inputPerMillionTokens, double outputPerMillionTokens)
    {
        InputPerMillionTokens = inputPerMillionTokens;
        OutputPerMillionTokens = outputPerMillionTokens;
    }

    /// <summary>The price of a million prompt (input) tokens; finite and not negative.</summary>
    public double InputPerMillionTokens
    {
        get;
        init => field = Checked(value, nameof(InputPerMillionTokens));
    }

    /// <summary>The price of a million generated (output) tokens; finite and not negative.</summary>
    public double OutputPerMillionTokens
    {
        get;
        init => field = Checked(value, nameof(OutputPerMillionTokens));
    }

    /// <summary>The cost of <paramref name="usage"/>: input and output tokens at their prices. Missing counts (and a missing usage) cost nothing.</summary>
    /// <param name="usage">The token counts of one call, or a sum of calls.</param>
    public double Cost(UsageDetails? usage)
    {
        if (usage is null)
        {
            return 0;
        }

        return ((usage.InputTokenCount ?? 0) * InputPerMillionTokens + (usage.OutputTokenCount ?? 0) * OutputPerMillionTokens) / 1_000_000;
    }

    private static double Checked(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"ModelPrice.{name} must be finite and not negative, was {value}.");
        }

        return value;
    }
}
