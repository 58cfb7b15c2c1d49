using System.Globalization;

namespace Genesis.Scoring;

/// <summary>An ensemble's figure over a set of questions, with a label that says how it was obtained.</summary>
public sealed record EnsembleAggregate
{
    /// <summary>The figure, averaged over the questions.</summary>
    public required double Value { get; init; }

    /// <summary>What the figure is, for example <c>GSM8K majority vote over 5 members</c> or <c>DROP max-EM over ensemble members (oracle)</c>.</summary>
    public required string Label { get; init; }

    /// <summary>
    /// Whether the figure peeks at the reference to choose among members (a best-of-k). An oracle figure is an upper bound,
    /// not an accuracy a deployed ensemble reaches; its <see cref="Label"/> always ends in <c>(oracle)</c>.
    /// </summary>
    public required bool IsOracle { get; init; }

    /// <summary>How many questions were averaged.</summary>
    public required int Questions { get; init; }

    /// <summary>How many members answered each question (the largest count when they differ).</summary>
    public required int Members { get; init; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Label}: {Value:0.0000}");
}
