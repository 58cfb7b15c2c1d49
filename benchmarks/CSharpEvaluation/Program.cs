using System.Diagnostics;
using System.Globalization;
using Genesis;
using Genesis.Execution;

// The in-process C# path against the out-of-process path, for a trivial candidate scored 42 both ways.
//   in process:     Roslyn-compiled assembly (a compile-cache hit after the first evaluation) loaded into a collectible
//                   AssemblyLoadContext, Candidate.Score() called on a dedicated thread with a timeout, context unloaded.
//   out of process: the same candidate with a harness, built once (every later build is a cache hit that copies
//                   main.dll), then `dotnet main.dll` per evaluation on the local backend, metrics read from stdout.
// Also reported: the cold first compile (Roslyn not yet jitted), a warm compile of a new source, and the raw start of
// `dotnet main.dll` on the backend. Issue target: in process at least 50x faster than out of process.
// Usage: dotnet run -c Release --project benchmarks/CSharpEvaluation -- [--in-process N] [--out-of-process N]
var inProcessCount = 2000;
var outOfProcessCount = 40;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--in-process": inProcessCount = Positive(args, ++i); break;
        case "--out-of-process": outOfProcessCount = Positive(args, ++i); break;
        default: throw new ArgumentException($"unknown argument '{args[i]}'. Usage: [--in-process N] [--out-of-process N]");
    }
}

const string Candidate = "public static class Candidate { public static double Score() => 42; }";
const string Harness = "public static class Harness { public static void Main() => Console.WriteLine($\"{{\\\"combined_score\\\": {Candidate.Score()}}}\"); }";

var work = Directory.CreateTempSubdirectory("genesis-csharp-bench").FullName;
try
{
    var backend = Backends.Local(1);
    var inProcess = Evaluators.CSharpInProcess<Func<double>>("Candidate.Score", (score, _) => EvaluationResult.Success(score()));

    // Cold: the first compilation in this process pays for loading and jitting Roslyn and reading the references.
    var cold = await Time(() => inProcess.EvaluateAsync(Request(Candidate, work, backend)));

    // Warm compiles: new sources (cache misses) once Roslyn is warm.
    const int warmCompiles = 10;
    var warm = TimeSpan.Zero;
    for (var i = 0; i < warmCompiles; i++)
    {
        warm += await Time(() => inProcess.EvaluateAsync(Request(Candidate.Replace("42", (43 + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), work, backend)));
    }

    // Cache hits: the same source again and again.
    for (var i = 0; i < 100; i++)
    {
        await inProcess.EvaluateAsync(Request(Candidate, work, backend));
    }

    var outOfProcess = Evaluators.CSharpOutOfProcess(new CSharpToolchainOptions
    {
        CacheDirectory = Path.Combine(work, "cache"),
        AdditionalSources = new Dictionary<string, string> { ["harness.cs"] = Harness },
    });
    await outOfProcess.CheckAsync();
    var firstBuild = await Time(() => outOfProcess.EvaluateAsync(Request(Candidate, Path.Combine(work, "oop-first"), backend)));
    var main = Path.Combine(work, "oop-first", CSharpToolchain.AssemblyFileName);

    // The paths take turns, round by round, so that a change in the machine's load affects both alike.
    const int rounds = 5;
    var hits = new Stopwatch();
    var runs = new Stopwatch();
    var raw = new Stopwatch();
    var folder = 0;
    for (var round = 0; round < rounds; round++)
    {
        hits.Start();
        for (var i = 0; i < Share(inProcessCount, round, rounds); i++)
        {
            Expect(await inProcess.EvaluateAsync(Request(Candidate, work, backend)));
        }

        hits.Stop();
        runs.Start();
        for (var i = 0; i < Share(outOfProcessCount, round, rounds); i++)
        {
            Expect(await outOfProcess.EvaluateAsync(Request(Candidate, Path.Combine(work, "oop-" + (folder++).ToString(CultureInfo.InvariantCulture)), backend)));
        }

        runs.Stop();

        // The floor of the out-of-process path: starting `dotnet main.dll` on the backend, nothing else.
        raw.Start();
        for (var i = 0; i < Share(outOfProcessCount, round, rounds); i++)
        {
            var outcome = await backend.RunAsync(new ProcessRequest { FileName = "dotnet", Arguments = [main], WorkingDirectory = work });
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"dotnet main.dll failed: {outcome.StandardError}");
            }
        }

        raw.Stop();
    }

    var perHit = hits.Elapsed / inProcessCount;
    var perRun = runs.Elapsed / outOfProcessCount;
    var perRaw = raw.Elapsed / outOfProcessCount;
    Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    Console.WriteLine(Line("in process, cold first compile + evaluation", cold, 1));
    Console.WriteLine(Line("in process, warm compile + evaluation (cache miss)", warm / warmCompiles, warmCompiles));
    Console.WriteLine(Line("in process, cache hit (per evaluation)", perHit, inProcessCount));
    Console.WriteLine(Line("out of process, first build + run", firstBuild, 1));
    Console.WriteLine(Line("out of process, cached build + dotnet main.dll (per evaluation)", perRun, outOfProcessCount));
    Console.WriteLine(Line("out of process, raw dotnet main.dll start on the backend", perRaw, outOfProcessCount));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: in process is {perRun / perHit:F0}x faster per evaluation (target: at least 50x)"));
    return perRun / perHit >= 50 ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static EvaluationRequest Request(string code, string folder, IExecutionBackend backend)
{
    Directory.CreateDirectory(folder);
    return new EvaluationRequest
    {
        CandidateId = 1,
        Code = code,
        Language = ProgramLanguage.CSharp,
        WorkingDirectory = folder,
        Backend = backend,
        Timeout = TimeSpan.FromSeconds(30),
    };
}

static async Task<TimeSpan> Time(Func<ValueTask<EvaluationResult>> evaluate)
{
    var watch = Stopwatch.StartNew();
    var result = await evaluate();
    watch.Stop();
    if (!result.IsSuccess)
    {
        throw new InvalidOperationException($"the evaluation failed: {result.Status} {result.Error}");
    }

    return watch.Elapsed;
}

static void Expect(EvaluationResult result)
{
    if (result.Status != EvaluationStatus.Succeeded || result.Score != 42)
    {
        throw new InvalidOperationException($"the evaluation failed: {result.Status} {result.Score} {result.Error}");
    }
}

static int Share(int total, int round, int rounds) => (total / rounds) + (round < total % rounds ? 1 : 0);

static string Line(string what, TimeSpan each, int count) =>
    string.Create(CultureInfo.InvariantCulture, $"{what,-66} {each.TotalMilliseconds,10:F3} ms  (n = {count})");

static int Positive(string[] args, int index) =>
    index < args.Length && int.TryParse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new ArgumentException("--in-process and --out-of-process need a positive count");
