// LoraEvolution: GENOME / GENOME+ against merge baselines on the embedded digits reference benchmark.
// Data: UCI "Optical Recognition of Handwritten Digits" (E. Alpaydin, C. Kaynak, 1998), CC BY 4.0; see data/README.md.
// --evaluations N caps the validation evaluations of every search method (swarm, LoraHub, GENOME, GENOME+) per seed;
// --seeds K (default 5) sets how many seeds (S..S+K-1) the table averages over.
using System.Globalization;
using Genesis;
using Genesis.Lora;
using Genesis.Merging;
using Genesis.Reference;
using Genesis.Samples;

const DigitsTransform Target = DigitsTransform.ShiftDownRight;
var seeds = 5;
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seeds")
    {
        if (i + 1 >= args.Length || !int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out seeds) || seeds is < 1 or > 100)
        {
            Console.Error.WriteLine("--seeds must be an integer between 1 and 100");
            return 2;
        }
    }
    else
    {
        rest.Add(args[i]);
    }
}

var options = SampleOptions.Parse([.. rest], defaultEvaluations: 200, defaultOut: "runs/lora-evolution");
var data = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
var rows = new Dictionary<string, List<double>>();
void Add(string name, double test)
{
    if (!rows.TryGetValue(name, out var list))
    {
        rows[name] = list = [];
    }

    list.Add(test);
}

for (var s = 0; s < seeds; s++)
{
    var seed = options.Seed + s;
    var bench = ReferenceBenchmark.Create(data, Target, seed: seed);
    var experts = bench.Experts;
    Add("best expert", (await GenomeBaselines.BestExpertAsync(experts, bench)).Test);
    Add("uniform merge", (await GenomeBaselines.UniformMergeAsync(experts, bench)).Test);
    Add("TIES", (await GenomeBaselines.TiesAsync(experts, bench)).Test);
    Add("DARE", (await GenomeBaselines.DareAsync(experts, bench, seed)).Test);
    Add("Expert Fusion", (await GenomeBaselines.ExpertFusionAsync(experts, bench)).Test);
    Add("LoraHub (1+1)-ES", (await GenomeBaselines.LoraHubAsync(experts, bench, options.Evaluations, seed)).Test);
    Add("swarm", (await GenomeBaselines.SwarmAsync(experts, bench, options.Evaluations, seed)).Test);

    // Each run keeps its state in a run folder: a killed sample resumes where it stopped when run again with the same --out.
    var seedFolder = Path.Combine(options.OutputFolder, string.Create(CultureInfo.InvariantCulture, $"seed-{seed}"));
    var genome = await Genome.For(bench).WithPopulation(experts).WithCrossover(new LinearMerge(), 0.8)
        .WithMutation(1.0, 0.1, 0.2).WithGenerations(1000).WithMaxEvaluations(options.Evaluations).WithSeed(seed)
        .WithEvaluationConcurrency(Environment.ProcessorCount).WithRunFolder(Path.Combine(seedFolder, "genome")).RunAsync();
    Add("GENOME", genome.BestTest);
    var plus = await Genome.For(bench).WithPopulation(experts).WithCrossover(new LinearMerge(), 0.8)
        .WithMutation(1.0, 0.1, 0.2).WithSuccession().WithGenerations(1000).WithMaxEvaluations(options.Evaluations).WithSeed(seed)
        .WithEvaluationConcurrency(Environment.ProcessorCount).WithRunFolder(Path.Combine(seedFolder, "genome-plus")).RunAsync();
    Add("GENOME+", plus.BestTest);
    Add("GENOME+ ensemble (vote)", plus.Ensemble?.MajorityTest ?? double.NaN);
    Add("GENOME+ ensemble (prob)", plus.Ensemble?.ProbabilityTest ?? double.NaN);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: base {bench.Accuracy(null, EvaluationSplit.Test):F3}, GENOME val {genome.InitialBestValidation:F3} -> {genome.BestValidation:F3} (test {genome.BestTest:F3}), GENOME+ val -> {plus.BestValidation:F3} (test {plus.BestTest:F3})"));
}

Directory.CreateDirectory(options.OutputFolder);
var lines = new List<string> { $"target {Target}, experts {string.Join(", ", ReferenceBenchmark.DefaultSources)}; TEST accuracy, mean ± std over {seeds} seeds ({options.Seed}..{options.Seed + seeds - 1}); {options.Evaluations} validation evaluations per search", "| method | test accuracy |", "|---|---|" };
foreach (var (name, values) in rows)
{
    var mean = values.Average();
    var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1));
    lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | {mean:F3} ± {std:F3} |"));
}

foreach (var line in lines)
{
    Console.WriteLine(line);
}

await File.WriteAllLinesAsync(Path.Combine(options.OutputFolder, "results.md"), lines);
// The best mean TEST accuracy of any method in the table.
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {rows.Values.Max(v => v.Average()):F4}"));
return 0;
