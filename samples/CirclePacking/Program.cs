using CirclePacking;
using Genesis;
using Genesis.Samples;

// Evolves a circle packing. With no LLM configured it runs the offline mutators; set GENESIS_LLM_ENDPOINT and
// GENESIS_LLM_MODEL (and OPENAI_API_KEY if the server needs one) to let a model propose the changes.
var options = SampleOptions.Parse(args, defaultEvaluations: 60, defaultOut: "runs/circle-packing");
var builder = Evolution.For<CirclePackingTask>()
    .WithIslands(2, migrationInterval: 8)
    .WithLlmFromEnvironment()
    .WithSeed(options.Seed)
    .WithBudget(maxEvaluations: options.Evaluations)
    .WithEvaluationTimeout(TimeSpan.FromSeconds(60))
    .WithRunFolder(options.OutputFolder);
return await SampleRunner.RunAsync(builder, options);
