using System.Globalization;
using System.Text;
using Genesis.Blocks;

namespace Genesis.Mutation;

/// <summary>
/// An offline crossover that needs no model: the parent's EVOLVE-BLOCKs are recombined with those of the first inspiration
/// (the second parent), inside the parent's frame.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Both programs have the same number of blocks (two or more): each block comes from one parent or the other at random,
/// at least one from each.</item>
/// <item>Both have a single block with the same number of lines: uniform crossover, each line from either parent at random.</item>
/// <item>Both have a single block of different lengths: one-point crossover, the head of one parent up to a random line and the
/// tail of the other from there on (which parent gives the head is random too).</item>
/// </list>
/// Every line of the child's blocks is a line of one of the two parents' blocks, and every line outside the blocks is the
/// parent's. The child always differs from the parent; when it cannot (the second parent's blocks are identical) the proposal
/// fails with "crossover produced the parent". Block counts that differ (other than both being one) also fail.
/// <see cref="MutationContext.Kind"/> is not consulted: the proposal's kind is always <see cref="MutationKind.BlockCrossover"/>.
/// </remarks>
public sealed class BlockCrossoverMutator : IMutator
{
    /// <summary>The error of a proposal when the child would equal the parent.</summary>
    public const string ProducedParentError = "crossover produced the parent";

    /// <summary>The error of a proposal when there is no second parent.</summary>
    public const string NoInspirationError = "block crossover needs a second parent as the first inspiration";

    private const int MaxAttempts = 8;

    /// <inheritdoc />
    public IReadOnlyCollection<MutationKind> Kinds { get; } = [MutationKind.BlockCrossover];

    /// <inheritdoc />
    public ValueTask<MutationProposal> MutateAsync(MutationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (context.Inspirations.Count == 0)
        {
            return ValueTask.FromResult(Failure(NoInspirationError));
        }

        return ValueTask.FromResult(Cross(context.Parent, context.Inspirations[0], context.Random));
    }

    private static MutationProposal Cross(Candidate parent, Candidate other, Random random)
    {
        var mine = EvolveBlockLayout.Parse(parent.Code);
        var theirs = EvolveBlockLayout.Parse(other.Code);
        if (mine.Blocks.Count == 0 || theirs.Blocks.Count == 0)
        {
            return Failure("block crossover needs both programs to have well-formed EVOLVE-BLOCKs");
        }

        if (mine.Blocks.Count != theirs.Blocks.Count)
        {
            return Failure(string.Create(
                CultureInfo.InvariantCulture,
                $"block crossover needs the same number of EVOLVE-BLOCKs in both programs (parent #{parent.Id} has {mine.Blocks.Count}, #{other.Id} has {theirs.Blocks.Count})"));
        }

        var original = BlockLines.All(mine);
        var others = BlockLines.All(theirs);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (contents, description) = original.Count > 1
                ? CrossBlocks(original, others, parent.Id, other.Id, random)
                : CrossLines(original[0], others[0], parent.Id, other.Id, random);
            if (contents is null || BlockLines.SameContents(contents, original))
            {
                continue;
            }

            var code = BlockLines.Splice(mine, contents, parent.Code);
            if (string.Equals(code, parent.Code, StringComparison.Ordinal))
            {
                continue;
            }

            return new MutationProposal { Kind = MutationKind.BlockCrossover, Code = code, Diff = description };
        }

        return Failure(ProducedParentError);
    }

    /// <summary>Each block from either parent, at least one from each, and at least one differing block from the other.</summary>
    private static (List<string[]>? Contents, string Description) CrossBlocks(List<string[]> mine, List<string[]> theirs, long parentId, long otherId, Random random)
    {
        var n = mine.Count;
        var differing = new List<int>();
        for (var b = 0; b < n; b++)
        {
            if (!mine[b].AsSpan().SequenceEqual(theirs[b]))
            {
                differing.Add(b);
            }
        }

        if (differing.Count == 0)
        {
            return (null, string.Empty);
        }

        var fromOther = new bool[n];
        for (var b = 0; b < n; b++)
        {
            fromOther[b] = random.Next(2) == 1;
        }

        if (!differing.Any(b => fromOther[b]))
        {
            fromOther[differing[random.Next(differing.Count)]] = true;
        }

        if (fromOther.All(x => x))
        {
            // Give one block back to the parent, keeping a differing block from the other whenever possible.
            var same = Enumerable.Range(0, n).Where(b => !differing.Contains(b)).ToList();
            var back = same.Count > 0 ? same[random.Next(same.Count)]
                : differing[random.Next(differing.Count)];
            fromOther[back] = false; // with no identical block, every block differs and n >= 2 leaves one from the other
        }

        var contents = new List<string[]>(n);
        var description = new StringBuilder().Append(CultureInfo.InvariantCulture, $"block crossover of #{parentId} with #{otherId}:");
        for (var b = 0; b < n; b++)
        {
            contents.Add(fromOther[b] ? theirs[b] : mine[b]);
            description.Append(CultureInfo.InvariantCulture, $" block {b + 1} from #{(fromOther[b] ? otherId : parentId)}{(b < n - 1 ? ";" : string.Empty)}");
        }

        return (contents, description.ToString());
    }

    /// <summary>Line-level crossover of single blocks: uniform when the line counts match, one-point otherwise.</summary>
    private static (List<string[]>? Contents, string Description) CrossLines(string[] mine, string[] theirs, long parentId, long otherId, Random random)
    {
        if (mine.Length == theirs.Length)
        {
            var differing = Enumerable.Range(0, mine.Length).Where(i => !string.Equals(mine[i], theirs[i], StringComparison.Ordinal)).ToList();
            if (differing.Count == 0)
            {
                return (null, string.Empty);
            }

            var fromOther = new bool[mine.Length];
            foreach (var i in differing)
            {
                fromOther[i] = random.Next(2) == 1;
            }

            var taken = differing.Count(i => fromOther[i]);
            if (taken == 0)
            {
                fromOther[differing[random.Next(differing.Count)]] = true;
            }
            else if (taken == differing.Count && differing.Count > 1)
            {
                fromOther[differing[random.Next(differing.Count)]] = false;
            }

            var child = new string[mine.Length];
            for (var i = 0; i < child.Length; i++)
            {
                child[i] = fromOther[i] ? theirs[i] : mine[i];
            }

            var lines = string.Join(", ", Ranges(differing.Where(i => fromOther[i])));
            return ([child], string.Create(CultureInfo.InvariantCulture, $"uniform line crossover of #{parentId} with #{otherId}: block lines {lines} from #{otherId}"));
        }

        var headFromParent = random.Next(2) == 0;
        var (head, tail) = headFromParent ? (mine, theirs) : (theirs, mine);
        var shortest = Math.Min(mine.Length, theirs.Length);
        var cut = shortest == 0 ? 0 : random.Next(1, shortest + 1);
        string[] result = [.. head.Take(cut), .. tail.Skip(cut)];
        var (headId, tailId) = headFromParent ? (parentId, otherId) : (otherId, parentId);
        var description = cut == 0
            ? string.Create(CultureInfo.InvariantCulture, $"one-point crossover of #{parentId} with #{otherId}: the whole block from #{tailId}")
            : string.Create(CultureInfo.InvariantCulture, $"one-point crossover of #{parentId} with #{otherId} after block line {cut}: lines 1-{cut} from #{headId}, the rest from #{tailId}");
        return ([result], description);
    }

    private static IEnumerable<string> Ranges(IEnumerable<int> indices)
    {
        int? start = null, previous = null;
        foreach (var i in indices)
        {
            if (previous is { } p && i == p + 1)
            {
                previous = i;
                continue;
            }

            if (start is { } s)
            {
                yield return Format(s, previous!.Value);
            }

            start = previous = i;
        }

        if (start is { } first)
        {
            yield return Format(first, previous!.Value);
        }

        static string Format(int from, int to) =>
            from == to ? (from + 1).ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from + 1}-{to + 1}");
    }

    private static MutationProposal Failure(string error) => new() { Kind = MutationKind.BlockCrossover, Error = error };
}
