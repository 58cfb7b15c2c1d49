using System.Globalization;
using System.Text.RegularExpressions;
using Genesis;
using Genesis.Llm;
using Genesis.Testing;

// How often does a run solve OpenEvolve's K-module problem (4 modules x 5 options, score = correct modules / 4) within
// a budget of evaluations? Measured for the offline mutators and for a scripted "LLM" that changes one random module
// per answer through a real SEARCH/REPLACE diff over HTTP, next to the reference: random search over the 625
// configurations, whose solve rate within n samples is n/625 (16% for 100), simulated in the same run.
var seeds = 10;
var evaluations = 100;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seeds": seeds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--evaluations": evaluations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"unknown argument {args[i]}; usage: [--seeds N] [--evaluations N]");
    }
}

var taskFolder = FindTaskFolder();
Console.WriteLine($"K-module solve rate: {seeds} seeds, budget {evaluations} evaluations, task {taskFolder}");

var random = RandomSearch(seeds * 1000, evaluations);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reference  random search (simulated, {seeds * 1000} runs): solved {random:P1} (exact: {(double)evaluations / 625:P1})"));

var offline = await MeasureAsync("offline", seeds, evaluations, taskFolder, llm: null);
await using var server = await ScriptedOpenAiServer.StartAsync();
var calls = 0;
server.Responder = request => OneModuleChange(request, Interlocked.Increment(ref calls));
var scripted = await MeasureAsync("scripted-llm", seeds, evaluations, taskFolder, GenesisLlm.Create(server.BaseUri, "scripted-one-module"));

Console.WriteLine();
Console.WriteLine("| mutator | runs | solved | solve rate | mean evaluations to solve | ratio to random search |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var (name, outcome) in new[] { ("offline mutators", offline), ("scripted LLM (one random module per diff)", scripted) })
{
    var solved = outcome.Count(o => o.Solved);
    var rate = (double)solved / outcome.Count;
    var mean = solved > 0 ? outcome.Where(o => o.Solved).Average(o => o.Evaluations).ToString("F1", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {outcome.Count} | {solved} | {rate:P0} | {mean} | {rate / random:F2}x |"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| random search (reference) | {seeds * 1000} | - | {random:P1} | - | 1.00x |"));

static async Task<List<(bool Solved, int Evaluations)>> MeasureAsync(string name, int seeds, int evaluations, string taskFolder, Microsoft.Extensions.AI.IChatClient? llm)
{
    var outcomes = new List<(bool, int)>();
    for (var seed = 1; seed <= seeds; seed++)
    {
        var folder = Path.Combine(Path.GetTempPath(), "genesis-kmodule", $"{name}-{seed}-{Guid.NewGuid():N}");
        var builder = Evolution.ForFolder(taskFolder)
            .WithIslands(2, migrationInterval: 10)
            .WithSeed(seed)
            .WithBudget(maxEvaluations: evaluations)
            .WithTargetScore(1.0)
            .WithEvaluationTimeout(TimeSpan.FromSeconds(30))
            .WithRunFolder(folder);
        var solvedAt = 0;
        builder.OnEvent(e =>
        {
            if (e is CandidateEvaluated { Candidate.IsCorrect: true } evaluated && evaluated.Candidate.Score >= 1.0 && solvedAt == 0)
            {
                solvedAt = evaluated.CompletedEvaluations;
            }
        });
        if (llm is not null)
        {
            builder.WithLlm(llm).WithMutationMix(diff: 1, fullRewrite: 0, crossover: 0).WithMaxPatchRetries(0);
        }

        var result = await builder.RunAsync();
        var solved = result.StopReason == StopReason.TargetReached;
        var toSolve = solved ? solvedAt : result.CompletedEvaluations;
        outcomes.Add((solved, toSolve));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-13} seed {seed,3}: {(solved ? "solved" : "not solved"),-10} after {toSolve,4} evaluations (best {result.BestScore:F2}, {result.Proposals} proposals)"));
        Directory.Delete(folder, recursive: true);
    }

    return outcomes;
}

static double RandomSearch(int runs, int samples)
{
    var random = new Random(12345);
    var solved = 0;
    var configurations = Enumerable.Range(0, 625).ToArray();
    for (var run = 0; run < runs; run++)
    {
        random.Shuffle(configurations);
        if (Array.IndexOf(configurations, 0, 0, Math.Min(samples, 625)) >= 0)
        {
            solved++;
        }
    }

    return (double)solved / runs;
}

static ScriptedReply OneModuleChange(RecordedRequest request, int call)
{
    var prompt = request.Messages.First(m => m.Role == "user").Content;
    var lines = Regex.Matches(prompt, @"^(LOADER|PREPROCESS|ALGORITHM|FORMATTER) = (\d+)\s*$", RegexOptions.Multiline).Take(4).ToList();
    var random = new Random(call);
    var line = lines[random.Next(lines.Count)];
    var current = int.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture);
    var next = (current + 1 + random.Next(4)) % 5;
    var diff = $"Try another option for {line.Groups[1].Value}.\n<<<<<<< SEARCH\n{line.Groups[1].Value} = {current}\n=======\n{line.Groups[1].Value} = {next}\n>>>>>>> REPLACE\n";
    return ScriptedReply.Completion(diff, promptTokens: prompt.Length / 4, completionTokens: diff.Length / 4);
}

static string FindTaskFolder()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Genesis.Sdk.sln")))
    {
        directory = directory.Parent;
    }

    return directory is null
        ? throw new DirectoryNotFoundException("Run from inside the Genesis repository: samples/KModule/task is needed.")
        : Path.Combine(directory.FullName, "samples", "KModule", "task");
}
