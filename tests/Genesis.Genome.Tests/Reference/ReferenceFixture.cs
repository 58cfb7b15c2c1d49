using Genesis.Reference;

namespace Genesis.GenomeTests.Reference;

/// <summary>One shared benchmark (built once, deterministic) for the reference and loop tests.</summary>
internal static class ReferenceFixture
{
    private static readonly Lazy<DigitsData> LazyData = new(() => DigitsData.Load(DataPath));
    private static readonly Lazy<ReferenceBenchmark> LazyBenchmark = new(() => ReferenceBenchmark.Create(Data, seed: 3));

    public static string DataPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "samples", "LoraEvolution", "data", "digits.csv.gz")))
            {
                dir = dir.Parent;
            }

            return dir is null
                ? throw new FileNotFoundException("samples/LoraEvolution/data/digits.csv.gz not found above the test directory.")
                : Path.Combine(dir.FullName, "samples", "LoraEvolution", "data", "digits.csv.gz");
        }
    }

    public static DigitsData Data => LazyData.Value;

    public static ReferenceBenchmark Benchmark => LazyBenchmark.Value;
}
