using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Genesis.Tests.Mutation.Offline;

/// <summary>Random Python-like programs of frame lines and EVOLVE-BLOCKs, with numbers inside and outside the blocks.</summary>
internal static class OfflinePrograms
{
    private static readonly Gen<string> Line = Gen.OneOf(
        Gen.Choose(0, 500).Select(n => $"x{n % 7} = {n}"),
        Gen.Choose(0, 999).Select(n => $"rate = {(n / 100.0).ToString("0.0##", CultureInfo.InvariantCulture)} * scale"),
        Gen.Choose(1, 9).Select(n => $"eps = {n}e-{n}"),
        Gen.Choose(0, 50).Select(n => $"    total += values[{n}] // 2"),
        Gen.Choose(0, 9).Select(n => $"label = \"step {n}.5\"  # was {n}"),
        Gen.Elements("return total", "pass", "", "def helper(a2, b3):", "    y = a2 + b3"));

    private static readonly Gen<List<string>> Lines = Gen.ListOf(Line).Select(l => l.ToList());

    /// <summary>Frames and block contents: frame 0, block 0, frame 1, block 1, ..., frame n.</summary>
    public static Gen<(List<List<string>> Frames, List<List<string>> Blocks)> Layouts(int minBlocks, int maxBlocks) =>
        from count in Gen.Choose(minBlocks, maxBlocks)
        from frames in Gen.ListOf(Lines, count + 1)
        from blocks in Gen.ListOf(Lines, count)
        select (frames.ToList(), blocks.ToList());

    /// <summary>Block contents only, for a fixed number of blocks.</summary>
    public static Gen<List<List<string>>> BlockContents(int count) => Gen.ListOf(Lines, count).Select(b => b.ToList());

    public static string Assemble(IReadOnlyList<List<string>> frames, IReadOnlyList<List<string>> blocks)
    {
        var lines = new List<string>();
        for (var b = 0; b < blocks.Count; b++)
        {
            lines.AddRange(frames[b]);
            lines.Add("# EVOLVE-BLOCK-START");
            lines.AddRange(blocks[b]);
            lines.Add("# EVOLVE-BLOCK-END");
        }

        lines.AddRange(frames[^1]);
        return string.Join('\n', lines);
    }

    public static Candidate Program(long id, string code) => new() { Id = id, Code = code };

    public static MutationContext Context(Candidate parent, Random random, ProgramLanguage? language = null, params Candidate[] inspirations) =>
        new()
        {
            Parent = parent,
            Inspirations = inspirations,
            Kind = MutationKind.ConstantPerturbation,
            Language = language ?? ProgramLanguage.Python,
            Random = random,
        };
}
