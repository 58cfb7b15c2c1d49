using Genesis.Llm;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Llm;

public sealed class ModelPriceTests
{
    [Fact]
    public void Cost_prices_input_and_output_tokens_per_million()
    {
        var price = new ModelPrice(inputPerMillionTokens: 0.15, outputPerMillionTokens: 0.60);

        double cost = price.Cost(new UsageDetails { InputTokenCount = 2_000_000, OutputTokenCount = 500_000, TotalTokenCount = 2_500_000 });

        Assert.Equal(0.30 + 0.30, cost, 12);
    }

    [Fact]
    public void Missing_counts_and_missing_usage_cost_nothing()
    {
        var price = new ModelPrice(1, 2);

        Assert.Equal(0, price.Cost(null));
        Assert.Equal(0, price.Cost(new UsageDetails()));
        Assert.Equal(2e-6, price.Cost(new UsageDetails { OutputTokenCount = 1 }), 15);
    }

    [Fact]
    public void A_summed_usage_costs_the_sum_of_its_parts()
    {
        var price = new ModelPrice(3, 15);
        var first = new UsageDetails { InputTokenCount = 1200, OutputTokenCount = 300 };
        var second = new UsageDetails { InputTokenCount = 800, OutputTokenCount = 100 };
        double separate = price.Cost(first) + price.Cost(second);

        first.Add(second);

        Assert.Equal(separate, price.Cost(first), 12);
    }

    [Theory]
    [InlineData(-0.01, 1, "InputPerMillionTokens")]
    [InlineData(double.NaN, 1, "InputPerMillionTokens")]
    [InlineData(1, double.PositiveInfinity, "OutputPerMillionTokens")]
    public void Prices_must_be_finite_and_not_negative(double input, double output, string field)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelPrice(input, output));

        Assert.Equal(field, error.ParamName);
        Assert.Contains($"ModelPrice.{field} must be finite and not negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_is_validated_too()
    {
        var price = new ModelPrice(1, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => price with { OutputPerMillionTokens = -1 });
        Assert.Equal(new ModelPrice(1, 3), price with { OutputPerMillionTokens = 3 });
    }
}
