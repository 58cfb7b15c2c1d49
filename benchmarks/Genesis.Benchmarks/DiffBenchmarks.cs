using BenchmarkDotNet.Attributes;
using Genesis.Diffs;

namespace Genesis.Benchmarks;

/// <summary>
/// Turning a model's answer into the child program: <see cref="SearchReplaceParser.Parse"/> of an answer with 3
/// SEARCH/REPLACE edits, then <see cref="PatchApplier.Apply"/> to a 300-line Python program whose one EVOLVE-BLOCK has 200
/// lines. Reference: three <see cref="string.Replace(string, string)"/> calls with the same snippets, which neither parse
/// the answer nor check the block, the indentation or the frame.
/// </summary>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
public class DiffBenchmarks
{
    private string _program = string.Empty;
    private string _exactAnswer = string.Empty;
    private string _looseAnswer = string.Empty;
    private (string Search, string Replace)[] _snippets = [];

    [GlobalSetup]
    public void Setup()
    {
        _program = Fixtures.PythonProgram(300, 200, 5);
        var lines = _program.Split('\n');
        _snippets = [Edit(lines, 2), Edit(lines, 8), Edit(lines, 14)];
        _exactAnswer = Answer(_snippets);

        // The same answer with the middle edit written four spaces less indented, as models sometimes do: the exact line
        // search fails and the indentation-insensitive search places (and re-indents) it.
        _looseAnswer = Answer([_snippets[0], (Dedent(_snippets[1].Search), Dedent(_snippets[1].Replace)), _snippets[2]]);

        var expected = ReplaceAll();
        if (ParseAndApply(_exactAnswer) != expected || ParseAndApply(_looseAnswer) != expected)
        {
            throw new InvalidOperationException("The patch does not give the expected program.");
        }
    }

    [Benchmark(Baseline = true)]
    public string StringReplaceOfTheSameSnippets() => ReplaceAll();

    [Benchmark]
    public string? ParseAndApplyExact() => ParseAndApply(_exactAnswer);

    [Benchmark]
    public string? ParseAndApplyOneIndentationInsensitive() => ParseAndApply(_looseAnswer);

    private string? ParseAndApply(string answer)
    {
        var parsed = SearchReplaceParser.Parse(answer);
        return PatchApplier.Apply(_program, parsed.Edits).Code;
    }

    private string ReplaceAll()
    {
        var code = _program;
        foreach (var (search, replace) in _snippets)
        {
            code = code.Replace(search, replace, StringComparison.Ordinal);
        }

        return code;
    }

    /// <summary>Four lines of the function <c>refine_step_{f}</c> and a rewrite of them with one more line.</summary>
    private static (string Search, string Replace) Edit(string[] lines, int f)
    {
        var at = Array.FindIndex(lines, l => l.StartsWith($"def refine_step_{f}(", StringComparison.Ordinal));
        var search = string.Join('\n', lines[(at + 2)..(at + 6)]);
        var replace = string.Join('\n',
        [
            $"    step_{f} = 0.75 * math.exp(-0.05 * iteration)",
            $"    order_{f} = np.argsort(-radii)",
            $"    for i in order_{f}:",
            lines[at + 4],
            lines[at + 5],
        ]);
        return (search, replace);
    }

    private static string Dedent(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : l));

    private static string Answer(IEnumerable<(string Search, string Replace)> edits)
    {
        var answer = new System.Text.StringBuilder("I make the refinement step decay and visit the largest circles first.\n\n");
        foreach (var (search, replace) in edits)
        {
            answer.Append("<<<<<<< SEARCH\n").Append(search).Append("\n=======\n").Append(replace).Append("\n>>>>>>> REPLACE\n\n");
        }

        return answer.Append("These changes keep every circle inside the square.\n").ToString();
    }
}
