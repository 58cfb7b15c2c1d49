using Genesis;

namespace CSharpSorting;

/// <summary>
/// Evolve a C# comparison sort that makes as few comparisons as possible. The candidate is C#, compiled with Roslyn and
/// scored in process (the fast path for trusted code) by <see cref="SortingBenchmark"/>: correctness first, then log2(n!)
/// divided by the mean number of comparisons on random arrays of 1000 items.
/// </summary>
public sealed class SortingTask : IEvolutionTask
{
    public string Name => "csharp-sorting";

    public ProgramLanguage Language => ProgramLanguage.CSharp;

    public string InitialProgram { get; } = ReadInitialProgram();

    public string Description =>
        """
        Implement Candidate.Sort(int[] items, Comparison<int> compare) in C#: reorder the item ids in `items`, in place,
        so that their hidden keys ascend; compare(a, b) compares the keys of items a and b and is the only way to see them.
        Every test array must end up sorted (empty arrays, duplicates, sorted and reversed input included), or the program
        is incorrect. The score is log2(n!) divided by the mean number of compare calls on random arrays of 1000 distinct
        keys: Shell sort starts near 0.34, a well-tuned Shell sort reaches about 0.62, and no comparison sort can average
        above 1. Time and memory are not scored; only the number of comparisons is.
        """;

    public IEvaluator Evaluator { get; } = Evaluators.CSharpInProcess<Action<int[], Comparison<int>>>("Candidate.Sort", SortingBenchmark.Score);

    /// <summary>
    /// No comparison sort averages fewer than log2(n!) comparisons; 1.05 leaves room for the sample of eight arrays, and
    /// a higher score means the program found the keys some other way than by comparing.
    /// </summary>
    public double? MaxScore => 1.05;

    private static string ReadInitialProgram()
    {
        using var stream = typeof(SortingTask).Assembly.GetManifestResourceStream("CSharpSorting.initial.cs")
            ?? throw new InvalidOperationException("The initial program (task/initial.cs) is missing from the sample's resources.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
