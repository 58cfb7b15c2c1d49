// Side-by-side measurement for issue 3's target "a compile-cache hit for a Rust candidate adds under 5 ms":
// the time of RustToolchain.BuildAsync on a hit (write main.rs, hash the key, read the entry, hard-link the cached
// executable into the candidate's folder), next to a cold compile of the same kind of candidate and next to the floors,
// the raw placing of the same executable into a fresh folder: a hard link (what a hit does) and a File.Copy (what a
// hit costs where links are impossible, as across file systems).
//
//   dotnet run -c Release --project benchmarks/CompileCache [-- --hits 200 --cold 5]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Genesis;
using Genesis.Execution;

var hits = Option("--hits", 200);
var colds = Option("--cold", 5);
var warmup = Math.Max(10, hits / 10);

var root = Path.Combine(Path.GetTempPath(), "genesis-compile-cache-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    var toolchain = Toolchains.Rust(new RustToolchainOptions { CacheDirectory = Path.Combine(root, "cache") });
    var backend = Backends.Local(1);
    var info = await toolchain.ProbeAsync();
    var folder = 0;
    string NewFolder()
    {
        var path = Path.Combine(root, "candidates", (folder++).ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        return path;
    }

    BuildRequest Request(string source) => new() { SourceCode = source, WorkingDirectory = NewFolder(), Backend = backend };

    // Cold compiles: each candidate differs, so each one is a miss that runs rustc and publishes an entry.
    var cold = new List<double>();
    for (var i = 0; i < colds; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var build = await toolchain.BuildAsync(Request(Candidate(i + 1)));
        cold.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Require(build.Succeeded && !build.CacheHit, "a cold build must compile");
    }

    // Hits: the first candidate again, each time into a fresh folder (created outside the timing, as the engine does).
    var source = Candidate(1);
    var hit = new List<double>();
    string artifact = string.Empty;
    for (var i = 0; i < warmup + hits; i++)
    {
        var request = Request(source);
        var started = Stopwatch.GetTimestamp();
        var build = await toolchain.BuildAsync(request);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Require(build.Succeeded && build.CacheHit, "a repeated build must be a cache hit");
        artifact = build.ArtifactPath!;
        if (i >= warmup)
        {
            hit.Add(elapsed);
        }
    }

    // The floors: placing the same executable into a fresh folder, nothing else.
    var linkFloor = Floor(target => Require(Native.Link(artifact, target) == 0, "link(2) must work here"));
    var copyFloor = Floor(target => File.Copy(artifact, target));

    var size = new FileInfo(artifact).Length;
    var hitMedian = Median(hit);

    List<double> Floor(Action<string> place)
    {
        var times = new List<double>();
        for (var i = 0; i < warmup + hits; i++)
        {
            var target = Path.Combine(NewFolder(), "main");
            var started = Stopwatch.GetTimestamp();
            place(target);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= warmup)
            {
                times.Add(elapsed);
            }
        }

        return times;
    }

    var floorMedian = Median(linkFloor);
    Console.WriteLine($"compile-cache hit, Rust candidate ({info.Version}; {info.Flags}; executable {size / 1024.0:0} KiB)");
    Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    Console.WriteLine();
    Console.WriteLine("| measurement | runs | median ms | p90 ms | min ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    Row("cold compile (rustc, miss + publish)", cold);
    Row("cache hit (RustToolchain.BuildAsync)", hit);
    Row("floor: hard link of the executable", linkFloor);
    Row("floor: File.Copy of the executable", copyFloor);
    Console.WriteLine();
    Console.WriteLine($"hit / link floor: {hitMedian / floorMedian:0.0}x; hit - link floor: {hitMedian - floorMedian:0.000} ms; hit / copy floor: {hitMedian / Median(copyFloor):0.00}x; cold / hit: {Median(cold) / hitMedian:0}x");
    Console.WriteLine($"target: a hit adds under 5 ms -> {(hitMedian < 5 ? "met" : "NOT met")} (median {hitMedian:0.000} ms)");
    return hitMedian < 5 ? 0 : 1;
}
finally
{
    Directory.Delete(root, recursive: true);
}

static string Candidate(int seed) => $$"""
    // candidate {{seed}}
    fn main() {
        let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
        let mut sieve = vec![true; (n + 1) as usize];
        let mut count = 0u64;
        for i in 2..=n as usize {
            if sieve[i] {
                count += 1;
                let mut j = i * i;
                while j <= n as usize { sieve[j] = false; j += i; }
            }
        }
        println!("{}", count + {{seed}});
    }
    """;

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

static void Row(string name, List<double> values) =>
    Console.WriteLine($"| {name} | {values.Count} | {Median(values):0.000} | {Percentile(values, 0.9):0.000} | {values.Min():0.000} |");

static void Require(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException(what);
    }
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Link(string existingPath, string newPath);
}
