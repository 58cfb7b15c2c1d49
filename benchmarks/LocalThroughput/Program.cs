using System.Diagnostics;
using System.Globalization;
using Genesis;
using Genesis.Execution;

// Throughput of the local backend for a trivial Python candidate (`python3 -c pass`), side by side with the raw rate at
// which this machine starts the same python3 process with the same parallelism: N threads that each loop over
// Process.Start + WaitForExit, once without capturing anything and once reading the output to its end (on some machines
// the second is the faster). The raw rate is the better of the two. The configurations run in interleaved rounds in the
// same process, so that drift of the machine (other work, frequency scaling) hits them alike; each is reported as the
// median of its rounds, and the backend's rates as a fraction of the raw rate.
//
//   dotnet run -c Release --project benchmarks/LocalThroughput -- [--parallel N] [--seconds S] [--rounds R] [--python PATH]
var parallel = 2;
var seconds = 5.0;
var rounds = 5;
string? python = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--parallel": parallel = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--python": python = args[++i]; break;
        default: throw new ArgumentException($"unknown argument {args[i]}; usage: [--parallel N] [--seconds S] [--rounds R] [--python PATH]");
    }
}

python ??= FindOnPath("python3") ?? throw new InvalidOperationException("python3 was not found on PATH.");
var work = Directory.CreateTempSubdirectory("genesis-local-throughput-").FullName;
var duration = TimeSpan.FromSeconds(seconds);
var unsandboxed = Backends.Unsandboxed(parallel);
var sandboxed = Backends.Sandboxed(Sandboxes.Default, parallel);
var request = new ProcessRequest { FileName = python, Arguments = ["-c", "pass"], WorkingDirectory = work };

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Local backend throughput: {python} -c pass, parallelism {parallel}, {rounds} rounds of {seconds} s per configuration, {Environment.ProcessorCount} cores"));
Console.WriteLine($"sandbox: {sandboxed.Sandbox.Report.Mechanism}");

// Warm-up: JIT, page cache, the sandbox's detection.
Raw(python, parallel, TimeSpan.FromSeconds(1), capture: false);
Raw(python, parallel, TimeSpan.FromSeconds(1), capture: true);
await Backend(unsandboxed, request, parallel, TimeSpan.FromSeconds(1));
await Backend(sandboxed, request, parallel, TimeSpan.FromSeconds(1));

var raw = new List<double>();
var rawCaptured = new List<double>();
var plain = new List<double>();
var boxed = new List<double>();
for (var round = 0; round < rounds; round++)
{
    raw.Add(Raw(python, parallel, duration, capture: false));
    rawCaptured.Add(Raw(python, parallel, duration, capture: true));
    plain.Add(await Backend(unsandboxed, request, parallel, duration));
    boxed.Add(await Backend(sandboxed, request, parallel, duration));
    var best = Math.Max(raw[^1], rawCaptured[^1]);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"round {round + 1}: raw {raw[^1]:F1}/s, raw captured {rawCaptured[^1]:F1}/s, backend {plain[^1]:F1}/s ({plain[^1] / best:P1}), sandboxed {boxed[^1]:F1}/s ({boxed[^1] / best:P1})"));
}

Directory.Delete(work, recursive: true);
var rawMedian = Math.Max(Median(raw), Median(rawCaptured));
Console.WriteLine();
Console.WriteLine("| configuration | runs/s (median) | of raw | ms per run and worker |");
Console.WriteLine("|---|---|---|---|");
Row("raw Process.Start + WaitForExit, no capture", Median(raw));
Row("raw Process.Start + WaitForExit, output read to its end", Median(rawCaptured));
Row("LocalProcessBackend, Sandboxes.None", Median(plain));
Row($"LocalProcessBackend, sandboxed ({sandboxed.Sandbox.Report.Mechanism})", Median(boxed));

void Row(string name, double rate) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {rate:F1} | {rate / rawMedian:P1} | {1000.0 * parallel / rate:F1} |"));

static double Raw(string python, int parallel, TimeSpan duration, bool capture)
{
    var count = 0;
    var clock = Stopwatch.StartNew();
    var threads = Enumerable.Range(0, parallel).Select(_ => new Thread(() =>
    {
        while (clock.Elapsed < duration)
        {
            var startInfo = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardOutput = capture, RedirectStandardError = capture };
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add("pass");
            using var process = Process.Start(startInfo)!;
            if (capture)
            {
                var error = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                error.GetAwaiter().GetResult();
            }

            process.WaitForExit();
            Interlocked.Increment(ref count);
        }
    })).ToList();
    threads.ForEach(thread => thread.Start());
    threads.ForEach(thread => thread.Join());
    return count / clock.Elapsed.TotalSeconds;
}

static async Task<double> Backend(LocalProcessBackend backend, ProcessRequest request, int parallel, TimeSpan duration)
{
    var count = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            var outcome = await backend.RunAsync(request);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"the candidate failed: exit {outcome.ExitCode} {outcome.StartError} {outcome.StandardError}");
            }

            Interlocked.Increment(ref count);
        }
    }));
    return count / clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string? FindOnPath(string name) =>
    (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, name))
        .FirstOrDefault(File.Exists);
