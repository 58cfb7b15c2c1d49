// GenomeVllm: GENOME+ (Genesis.Genome) on a vLLM server with runtime LoRA loading, against the best expert, a uniform
// merge, TIES and DARE, on a GSM8K-shaped task. See README.md; run without arguments for how to start vLLM.
using GenomeVllm;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await GenomeVllmSample.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancel.Token);
