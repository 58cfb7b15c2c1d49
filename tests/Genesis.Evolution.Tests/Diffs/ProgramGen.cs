using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Genesis.Tests.Diffs;

/// <summary>A generated program: fixed segments around EVOLVE-BLOCKs whose contents are known.</summary>
/// <param name="Frames">The fixed lines before block 0, between blocks, and after the last block (one more than blocks).</param>
/// <param name="Blocks">Each block's content lines.</param>
/// <param name="Comment">The comment token of the markers.</param>
internal sealed record GeneratedProgram(IReadOnlyList<IReadOnlyList<string>> Frames, IReadOnlyList<IReadOnlyList<string>> Blocks, string Comment)
{
    public string Code => string.Join('\n', Lines()) + "\n";

    public IEnumerable<string> Lines()
    {
        for (var b = 0; b < Blocks.Count; b++)
        {
            foreach (var line in Frames[b])
            {
                yield return line;
            }

            yield return $"{Comment} EVOLVE-BLOCK-START";
            foreach (var line in Blocks[b])
            {
                yield return line;
            }

            yield return $"{Comment} EVOLVE-BLOCK-END";
        }

        foreach (var line in Frames[^1])
        {
            yield return line;
        }
    }

    public override string ToString() => Code;
}

/// <summary>FsCheck generators of programs and lines.</summary>
internal static class ProgramGen
{
    private static readonly string[] Indents = ["", "", "    ", "        ", "\t"];

    /// <summary>Lines of block contents: a small vocabulary, so the same line often repeats, with indentation and trailing blanks.</summary>
    public static Gen<string> BodyLine { get; } =
        from indent in Gen.Elements(Indents)
        from word in Gen.Elements("x = 1", "y += x", "return y", "for i in range(n):", "pass", "", "total = 0", "f(x, y)")
        from trailing in Gen.Elements("", "", "  ", "\t")
        select word.Length == 0 ? trailing : indent + word + trailing;

    /// <summary>Fixed lines: never blank and never equal to a <see cref="BodyLine"/>, even ignoring whitespace.</summary>
    public static Gen<string> FrameLine { get; } =
        from indent in Gen.Elements(Indents)
        from n in Gen.Choose(0, 6)
        select string.Create(CultureInfo.InvariantCulture, $"{indent}fixed_{n}()");

    /// <summary>Programs with 1 to 3 blocks of 1 to 6 lines and fixed segments of 0 to 4 lines (the first has at least 1).</summary>
    public static Gen<GeneratedProgram> Program { get; } =
        from blockCount in Gen.Choose(1, 3)
        from blocks in Gen.ListOf(Gen.Choose(1, 6).SelectMany(n => Gen.ListOf(BodyLine, n)), blockCount)
        from first in Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(FrameLine, n))
        from rest in Gen.ListOf(Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(FrameLine, n)), blockCount)
        from comment in Gen.Elements("#", "//", "--", "  #")
        select new GeneratedProgram(
            [first.ToList(), .. rest.Select(r => (IReadOnlyList<string>)r.ToList())],
            blocks.Select(b => (IReadOnlyList<string>)b.ToList()).ToList(),
            comment);
}
