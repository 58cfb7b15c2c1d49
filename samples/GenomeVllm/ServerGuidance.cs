using System.Globalization;
using Genesis.Adapters;

namespace GenomeVllm;

/// <summary>
/// The message printed when the sample cannot run yet: how to start vLLM for these experts (base model, LoRA rank,
/// <c>--max-loras</c>) and how to pass the server and the experts to the sample.
/// </summary>
public static class ServerGuidance
{
    /// <summary>The values vLLM accepts for <c>--max-lora-rank</c>.</summary>
    private static readonly int[] VllmRanks = [8, 16, 32, 64, 128, 256, 320, 512];

    /// <summary>Builds the message.</summary>
    /// <param name="options">The parsed command line.</param>
    /// <param name="problem">What is missing or failed, first line of the message.</param>
    /// <returns>The text, several lines.</returns>
    public static string Text(GenomeVllmOptions options, string problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (baseModel, rank, note) = Describe(options.Experts);
        var k = options.MaxLoras.ToString(CultureInfo.InvariantCulture);
        var experts = options.Experts ?? "path/to/experts";
        var adapterRoot = Path.GetFullPath(options.ResolvedAdapterRoot);
        return $"""
            {problem}

            GENOME+ scores every child adapter on a vLLM server that loads LoRA adapters at run time.
            1. Start vLLM on the experts' base model{note}:

                 VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve {baseModel} --enable-lora --max-loras {k} --max-lora-rank {rank} --port 8000

               (--max-lora-rank at least the experts' LoRA rank r; --max-loras the number of adapters scored at once.)
               The server must read the folder children are written to: {adapterRoot}
               If it runs in a container or on another machine, mount that folder and pass its path there with --server-adapter-root.
            2. Pass the server and the experts (a folder holding one PEFT folder per expert: adapter_config.json + adapter_model.safetensors):

                 dotnet run --project samples/GenomeVllm -- --vllm-url http://127.0.0.1:8000 --experts {experts} --max-loras {k} --evaluations {options.Sample.Evaluations.ToString(CultureInfo.InvariantCulture)} --out {options.Sample.OutputFolder}

               ({GenomeVllmOptions.UrlVariable} may hold the address instead of --vllm-url; {GenomeVllmOptions.ApiKeyVariable} the key if vLLM runs with --api-key.)
            """;
    }

    /// <summary>The smallest <c>--max-lora-rank</c> vLLM accepts for adapters of rank <paramref name="rank"/>.</summary>
    /// <param name="rank">The largest rank of the experts.</param>
    public static int MaxLoraRank(int rank) => VllmRanks.FirstOrDefault(r => r >= rank, rank);

    private static (string BaseModel, string Rank, string Note) Describe(string? expertsFolder)
    {
        const string Unknown = "<base model>";
        if (expertsFolder is null || !Directory.Exists(expertsFolder))
        {
            return (Unknown, "<r>", " (base_model_name_or_path and r in the experts' adapter_config.json)");
        }

        var configs = new List<LoraAdapterConfig>();
        foreach (var folder in Directory.GetDirectories(expertsFolder).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, LoraAdapter.ConfigFileName);
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                configs.Add(LoraAdapterConfig.Load(file));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // The run itself reports a broken expert with its reason; the guidance only needs one readable config.
            }
        }

        if (configs.Count == 0)
        {
            return (Unknown, "<r>", $" ({expertsFolder} holds no adapter_config.json; base_model_name_or_path and r come from there)");
        }

        var baseModel = configs.Select(c => c.BaseModelNameOrPath).FirstOrDefault(b => !string.IsNullOrWhiteSpace(b)) ?? Unknown;
        var rank = configs.Max(c => c.RankPattern.Select(p => p.Value).Append(c.Rank).Max());
        return (baseModel, MaxLoraRank(rank).ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $" ({configs.Count} experts of LoRA rank up to {rank})"));
    }
}
