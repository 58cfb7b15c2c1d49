using CSharpSorting;
using Genesis;
using Genesis.Samples;

// Evolves a C# comparison sort, scored in process by Roslyn. With no LLM configured it runs the offline mutators (the
// Shell sort's gap constants improve quickly); set GENESIS_LLM_ENDPOINT and GENESIS_LLM_MODEL (and OPENAI_API_KEY if the
// server needs one) to let a model rewrite the algorithm.
var options = SampleOptions.Parse(args, defaultEvaluations: 60, defaultOut: "runs/csharp-sorting");
var builder = Evolution.For<SortingTask>()
    .WithIslands(2, migrationInterval: 8)
    .WithLlmFromEnvironment()
    .WithSeed(options.Seed)
    .WithBudget(maxEvaluations: options.Evaluations)
    .WithEvaluationTimeout(TimeSpan.FromSeconds(10))
    .WithRunFolder(options.OutputFolder);
return await SampleRunner.RunAsync(builder, options);
