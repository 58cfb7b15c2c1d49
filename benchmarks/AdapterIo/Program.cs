using System.Diagnostics;
using System.Globalization;
using Genesis.Adapters;
using Genesis.Tensors;

// Loading and saving a gemma-2-2b rank-8 LoRA adapter (all seven linear projections of 26 layers: 10,383,360
// parameters, 41.5 MB in F32) next to plain copies of the same bytes through the page cache, measured in the same
// run and interleaved with them, and the peak memory of a population of such adapters loaded at once.
// Usage: dotnet run -c Release --project benchmarks/AdapterIo -- [--repeats N] [--population N] [--folder PATH]
var repeats = 15;
var populationSize = 40;
var root = Path.Combine(Path.GetTempPath(), "genesis-adapter-io", Guid.NewGuid().ToString("N"));
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--population": populationSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--folder": root = Path.Combine(args[++i], Guid.NewGuid().ToString("N")); break;
        default: throw new ArgumentException($"unknown argument {args[i]}; usage: [--repeats N] [--population N] [--folder PATH]");
    }
}

Directory.CreateDirectory(root);
try
{
    Run(root, repeats, populationSize);
}
finally
{
    Directory.Delete(root, recursive: true);
}

static void Run(string root, int repeats, int populationSize)
{
    var layout = LoraLayout.Create(Gemma2B(rank: 8));
    var config = LoraAdapterConfig.ForModules(layout.Modules.Select(m => m.Path), rank: 8, alpha: 16, baseModel: "google/gemma-2-2b-it");
    var adapter = LoraAdapter.Create("expert", config, layout);
    var random = new Random(42);
    var values = adapter.Values;
    for (var i = 0; i < values.Length; i++)
    {
        values[i] = (float)((random.NextDouble() - 0.5) * 0.02);
    }

    Console.WriteLine(Invariant($"Adapter: gemma-2-2b r=8, {layout.Modules.Count} modules, {layout.ParameterCount:N0} parameters; {Environment.ProcessorCount} CPUs, .NET {Environment.Version}"));
    Console.WriteLine();

    // The population first, so that the process's peak working set is the population's.
    MeasurePopulation(root, adapter, populationSize);

    // Files are flushed to the device when created, so that background writeback does not run during the timings.
    var rows = new List<Row>();
    foreach (var dtype in new[] { SafetensorsDType.F32, SafetensorsDType.BF16 })
    {
        var name = SafetensorsDTypes.GetName(dtype);
        var folder = Path.Combine(root, name);
        adapter.Save(folder, dtype, flushToDisk: true);
        var file = Path.Combine(folder, LoraAdapter.WeightsFileName);
        var bytes = new FileInfo(file).Length;
        var copyTarget = Path.Combine(root, $"copy-{name}.safetensors");
        var saveFolder = Path.Combine(root, $"save-{name}");
        var buffer = File.ReadAllBytes(file);

        // Each operation runs right after its reference, repeat after repeat, so drift in the machine hits both alike.
        var (copy, _) = Interleaved(repeats, () => File.Copy(file, copyTarget, overwrite: true), () => { });
        var (readAll, load) = Interleaved(repeats, () => File.ReadAllBytes(file), () => LoraAdapter.Load(folder));
        var (write, save) = Interleaved(repeats, () => WriteAll(copyTarget, buffer), () => adapter.Save(saveFolder, dtype));
        rows.Add(new($"File.Copy ({name} file)", bytes, copy, copy, null));
        rows.Add(new($"File.ReadAllBytes ({name} file, new array)", bytes, readAll, copy, null));
        rows.Add(new($"LoraAdapter.Load ({name} -> float32, new array)", bytes, load, copy, readAll));
        rows.Add(new($"FileStream write of the same bytes ({name})", bytes, write, copy, null));
        rows.Add(new($"LoraAdapter.Save (float32 -> {name}, atomic)", bytes, save, copy, write));
    }

    Console.WriteLine(Invariant($"Median of {repeats} interleaved runs after a warm-up; files in the page cache ({root})."));
    Console.WriteLine();
    Console.WriteLine("| operation | file | time | MB/s | vs File.Copy | vs plain read/write |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var row in rows)
    {
        var plain = row.Plain is { } p ? Invariant($"{p / row.Seconds:F2}x") : "-";
        Console.WriteLine(Invariant($"| {row.Name} | {row.Bytes / 1e6:F1} MB | {row.Seconds * 1000:F1} ms | {row.Bytes / 1e6 / row.Seconds:F0} | {row.Copy / row.Seconds:F2}x | {plain} |"));
    }

    Console.WriteLine();
    Console.WriteLine("MB/s counts the bytes of the file on disk. 'vs File.Copy' and 'vs plain read/write' are the reference's time over the");
    Console.WriteLine("operation's (1.00x = same speed, above 1 = faster). Writes go to the page cache without fsync, as File.Copy's do.");
}

static void MeasurePopulation(string root, LoraAdapter adapter, int count)
{
    var folder = Path.Combine(root, "population");
    for (var i = 0; i < count; i++)
    {
        adapter.Save(Path.Combine(folder, $"expert-{i:D2}"), SafetensorsDType.BF16, flushToDisk: true);
    }

    var fileBytes = new FileInfo(Path.Combine(folder, "expert-00", LoraAdapter.WeightsFileName)).Length;
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    var before = process.PeakWorkingSet64;
    var watch = Stopwatch.StartNew();
    var population = LoraAdapter.LoadAll(folder);
    watch.Stop();
    var managed = GC.GetTotalMemory(forceFullCollection: true);
    process.Refresh();
    var peak = process.PeakWorkingSet64;
    var payload = population.Sum(a => (long)a.ParameterCount) * sizeof(float);
    Console.WriteLine(Invariant($"Population: {population.Count} adapters, BF16 on disk ({population.Count * fileBytes / 1e6:F0} MB), loaded by LoraAdapter.LoadAll in {watch.Elapsed.TotalSeconds:F2} s ({population.Count * fileBytes / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s of files, {watch.Elapsed.TotalMilliseconds / population.Count:F0} ms per adapter)."));
    Console.WriteLine(Invariant($"  float32 payload {payload / 1e6:F0} MB; managed heap {managed / 1e6:F0} MB; peak working set {peak / 1e6:F0} MB ({before / 1e6:F0} MB before loading), {(double)peak / payload:F2}x the payload."));
    GC.KeepAlive(population);
    Directory.Delete(folder, recursive: true);
    population = null;
    GC.Collect();
    Console.WriteLine();
}

static (double Reference, double Operation) Interleaved(int repeats, Action reference, Action operation)
{
    reference();
    operation();
    var referenceTimes = new double[repeats];
    var operationTimes = new double[repeats];
    for (var i = 0; i < repeats; i++)
    {
        var watch = Stopwatch.StartNew();
        reference();
        referenceTimes[i] = watch.Elapsed.TotalSeconds;
        watch.Restart();
        operation();
        operationTimes[i] = watch.Elapsed.TotalSeconds;
    }

    Array.Sort(referenceTimes);
    Array.Sort(operationTimes);
    return (referenceTimes[repeats / 2], operationTimes[repeats / 2]);
}

static void WriteAll(string path, byte[] buffer)
{
    using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0 });
    stream.Write(buffer);
}

static IEnumerable<LoraModuleShape> Gemma2B(int rank)
{
    for (var layer = 0; layer < 26; layer++)
    {
        yield return new($"model.layers.{layer}.self_attn.q_proj", rank, 2304, 2048);
        yield return new($"model.layers.{layer}.self_attn.k_proj", rank, 2304, 1024);
        yield return new($"model.layers.{layer}.self_attn.v_proj", rank, 2304, 1024);
        yield return new($"model.layers.{layer}.self_attn.o_proj", rank, 2048, 2304);
        yield return new($"model.layers.{layer}.mlp.gate_proj", rank, 2304, 9216);
        yield return new($"model.layers.{layer}.mlp.up_proj", rank, 2304, 9216);
        yield return new($"model.layers.{layer}.mlp.down_proj", rank, 9216, 2304);
    }
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal sealed record Row(string Name, long Bytes, double Seconds, double Copy, double? Plain);
