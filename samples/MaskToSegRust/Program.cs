using Genesis;
using Genesis.Samples;
using MaskToSegRust;

// Evolves a Rust connected-component labelling: correctness first (score 0 when any mask is wrong), then speed. With no
// LLM configured it runs the offline mutators, which only tune the block's constants; set GENESIS_LLM_ENDPOINT and
// GENESIS_LLM_MODEL (and OPENAI_API_KEY if the server needs one) to let a model rewrite the algorithm.
var options = SampleOptions.Parse(args, defaultEvaluations: 40, defaultOut: "runs/mask-to-seg-rust");
var builder = Evolution.For<MaskToSegRustTask>()
    .WithIslands(2, migrationInterval: 8)
    .WithLlmFromEnvironment()
    .WithSeed(options.Seed)
    .WithBudget(maxEvaluations: options.Evaluations)
    .WithEvaluationTimeout(TimeSpan.FromSeconds(120))
    .WithRunFolder(options.OutputFolder);
return await SampleRunner.RunAsync(builder, options);
