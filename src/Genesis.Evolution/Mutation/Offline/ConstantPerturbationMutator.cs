using System.Globalization;
using System.Text;
using Genesis.Blocks;
using Genesis.Selection;

namespace Genesis.Mutation;

/// <summary>
/// An offline mutation that needs no model: one to <see cref="MaxConstants"/> numeric literals inside the parent's
/// EVOLVE-BLOCKs are chosen at random and nudged. A float gets Gaussian noise of <see cref="RelativeScale"/> times its
/// magnitude (<see cref="AbsoluteScale"/> when it is 0) and keeps a decimal point, its exponent style and suffix; an integer
/// moves by ±1 to ±3 and stays an integer that is not negative. Cheap local search around good programs, the kind of
/// tuning an LLM is slow and expensive at.
/// </summary>
/// <remarks>
/// Literals are found with the lexical rules of <c>NumericLiteralScanner</c>: digits in identifiers, strings and comments
/// (the language's line comment) are skipped. A literal's sign is never changed, because a leading minus is an operator.
/// Lines outside the blocks are kept as they are. The proposal always differs from the parent; with no literal in the
/// blocks it is a failure. <see cref="MutationContext.Kind"/> is not consulted: the proposal's kind is always
/// <see cref="MutationKind.ConstantPerturbation"/>.
/// </remarks>
public sealed class ConstantPerturbationMutator : IMutator
{
    /// <summary>The error of a proposal when the blocks hold no numeric literal.</summary>
    public const string NoConstantsError = "no numeric constants inside the EVOLVE-BLOCKs";

    private const int MaxDraws = 32;

    /// <summary>Creates the mutator.</summary>
    /// <param name="relativeScale">The standard deviation of a float's noise relative to its magnitude, between 0.000001 and 10. Default 0.1.</param>
    /// <param name="absoluteScale">The standard deviation of the noise added to a float that is 0, between 0.000001 and 1000000. Default 0.1.</param>
    /// <param name="maxConstants">The most literals changed at once, between 1 and 100. Default 3.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public ConstantPerturbationMutator(double relativeScale = 0.1, double absoluteScale = 0.1, int maxConstants = 3)
    {
        RelativeScale = OptionChecks.InRange(relativeScale, 1e-6, 10, nameof(ConstantPerturbationMutator), nameof(relativeScale));
        AbsoluteScale = OptionChecks.InRange(absoluteScale, 1e-6, 1e6, nameof(ConstantPerturbationMutator), nameof(absoluteScale));
        MaxConstants = OptionChecks.InRange(maxConstants, 1, 100, nameof(ConstantPerturbationMutator), nameof(maxConstants));
    }

    /// <summary>The standard deviation of a float's noise relative to its magnitude.</summary>
    public double RelativeScale { get; }

    /// <summary>The standard deviation of the noise added to a float that is 0.</summary>
    public double AbsoluteScale { get; }

    /// <summary>The most literals changed at once.</summary>
    public int MaxConstants { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<MutationKind> Kinds { get; } = [MutationKind.ConstantPerturbation];

    /// <inheritdoc />
    public ValueTask<MutationProposal> MutateAsync(MutationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Mutate(context.Parent.Code, context.Language.LineComment, context.Random));
    }

    private MutationProposal Mutate(string code, string lineComment, Random random)
    {
        var layout = EvolveBlockLayout.Parse(code);
        var blockLines = BlockLines.All(layout);
        var literals = new List<(int Block, NumericLiteral Literal)>();
        for (var b = 0; b < blockLines.Count; b++)
        {
            foreach (var literal in NumericLiteralScanner.Scan(blockLines[b], lineComment))
            {
                literals.Add((b, literal));
            }
        }

        if (literals.Count == 0)
        {
            return new MutationProposal { Kind = MutationKind.ConstantPerturbation, Error = NoConstantsError };
        }

        // A partial Fisher–Yates shuffle picks which literals change.
        var count = random.Next(1, Math.Min(MaxConstants, literals.Count) + 1);
        var order = Enumerable.Range(0, literals.Count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var chosen = order.AsSpan(0, count).ToArray();
        Array.Sort(chosen);
        var replacements = new List<(int Block, NumericLiteral Literal, string Text)>(count);
        foreach (var index in chosen)
        {
            var (block, literal) = literals[index];
            replacements.Add((block, literal, Perturb(literal, random)));
        }

        // Right to left within a line, so earlier columns stay valid.
        var diff = new StringBuilder();
        for (var r = replacements.Count - 1; r >= 0; r--)
        {
            var (block, literal, text) = replacements[r];
            var line = blockLines[block][literal.Line];
            blockLines[block][literal.Line] = string.Concat(line.AsSpan(0, literal.Column), text, line.AsSpan(literal.Column + literal.Length));
        }

        foreach (var (block, literal, text) in replacements)
        {
            if (diff.Length > 0)
            {
                diff.Append('\n');
            }

            var lineNumber = layout.Blocks[block].Start + literal.Line + 1;
            diff.Append(CultureInfo.InvariantCulture, $"line {lineNumber}: {literal.Core}{literal.Suffix} -> {text}");
        }

        return new MutationProposal
        {
            Kind = MutationKind.ConstantPerturbation,
            Code = BlockLines.Splice(layout, blockLines, code),
            Diff = diff.ToString(),
        };
    }

    /// <summary>The literal's new text, always different from the old.</summary>
    private string Perturb(NumericLiteral literal, Random random)
    {
        var original = literal.Core + literal.Suffix;
        if (literal.IsInteger)
        {
            var value = (long)literal.Value;
            var step = random.Next(1, 4);
            var up = random.Next(2) == 0;
            var next = up || value - step < 0 ? (value > long.MaxValue - step ? value - step : value + step) : value - step;
            return NumericLiteralScanner.FormatInteger(next, literal);
        }

        for (var draw = 0; draw < MaxDraws; draw++)
        {
            var noise = Gaussian(random);
            var next = literal.Value == 0 ? AbsoluteScale * noise : literal.Value * (1 + (RelativeScale * noise));
            var text = NumericLiteralScanner.FormatFloat(Math.Abs(next), literal);
            if (!string.Equals(text, original, StringComparison.Ordinal) && !IsSameNumber(text, literal))
            {
                return text;
            }
        }

        // Noise so small it rounds away every time: step by the full scale instead.
        var fallback = literal.Value == 0 ? AbsoluteScale : literal.Value * (1 + RelativeScale);
        return NumericLiteralScanner.FormatFloat(fallback, literal);
    }

    private static bool IsSameNumber(string text, NumericLiteral literal) =>
        double.TryParse(
            text.AsSpan(0, text.Length - literal.Suffix.Length),
            NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture,
            out var parsed)
        && parsed.Equals(literal.Value);

    /// <summary>A standard normal draw (Box–Muller) from <paramref name="random"/>.</summary>
    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1], so the logarithm is finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
