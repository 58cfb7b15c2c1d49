using CppTsp;
using Genesis;
using Genesis.Samples;

// Evolves a C++ TSP heuristic scored against known optima. With no LLM configured the offline mutators tune the annealing
// constants; set GENESIS_LLM_ENDPOINT and GENESIS_LLM_MODEL (and OPENAI_API_KEY if the server needs one) to let a model
// rewrite the solver.
var options = SampleOptions.Parse(args, defaultEvaluations: 60, defaultOut: "runs/cpp-tsp");
var builder = Evolution.For<CppTspTask>()
    .WithIslands(2, migrationInterval: 8)
    .WithLlmFromEnvironment()
    .WithSeed(options.Seed)
    .WithBudget(maxEvaluations: options.Evaluations)
    .WithTargetScore(1.0)
    .WithEvaluationTimeout(TimeSpan.FromSeconds(60))
    .WithRunFolder(options.OutputFolder);
return await SampleRunner.RunAsync(builder, options);
