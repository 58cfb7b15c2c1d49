using Genesis;
using Genesis.Samples;
using KModule;

// The K-module problem: the run stops as soon as all four modules are right, or when the budget ends.
var options = SampleOptions.Parse(args, defaultEvaluations: 100, defaultOut: "runs/k-module");
var builder = Evolution.For<KModuleTask>()
    .WithIslands(2, migrationInterval: 10)
    .WithLlmFromEnvironment()
    .WithSeed(options.Seed)
    .WithBudget(maxEvaluations: options.Evaluations)
    .WithTargetScore(1.0)
    .WithEvaluationTimeout(TimeSpan.FromSeconds(30))
    .WithRunFolder(options.OutputFolder);
return await SampleRunner.RunAsync(builder, options);
