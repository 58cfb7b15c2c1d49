using System.Text.Json.Serialization;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>
/// The loop's state after a completed generation, as the run folder stores it: enough to continue with the next
/// generation exactly as an uninterrupted run would (the random streams are counter-based and restored by counter).
/// </summary>
internal sealed record GenomeCheckpoint
{
    public required int Generation { get; init; }

    public required long NextId { get; init; }

    public required long SelectionCounter { get; init; }

    public required int Evaluations { get; init; }

    public required int Stagnant { get; init; }

    public required double BestFitness { get; init; }

    /// <summary>The folder (under the run's <c>members/</c>) holding the best adapter seen so far.</summary>
    public required string BestFolder { get; init; }

    public required double InitialBest { get; init; }

    public required GenerationStats Stats { get; init; }

    public required IReadOnlyList<GenomeMemberState> Members { get; init; }
}

/// <summary>One member in a checkpoint; its adapter (and swarm state) are in <c>members/&lt;Folder&gt;</c>.</summary>
internal sealed record GenomeMemberState
{
    public required long Id { get; init; }

    public required int Version { get; init; }

    public required double Fitness { get; init; }

    public required string Folder { get; init; }

    public double? PersonalBestFitness { get; init; }
}

/// <summary>What a finished run adds to its last checkpoint.</summary>
internal sealed record GenomeFinalState
{
    public required double BestTest { get; init; }

    public required bool StoppedEarly { get; init; }

    public EnsembleScores? Ensemble { get; init; }
}

/// <summary>The settings that must not change when a run folder is resumed.</summary>
internal sealed record GenomeFingerprint
{
    public required int Seed { get; init; }

    public required IReadOnlyList<string> Population { get; init; }

    public required string Layout { get; init; }

    public required string Crossover { get; init; }

    public required double CrossoverRate { get; init; }

    public required string Mutation { get; init; }

    public required string Selection { get; init; }

    public required int MaxPopulation { get; init; }

    public required string Succession { get; init; }

    public required int EnsembleSize { get; init; }
}

/// <summary>Source-generated JSON for the run folder (fast, trimming-safe).</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(GenomeCheckpoint))]
[JsonSerializable(typeof(GenomeFinalState))]
[JsonSerializable(typeof(GenomeFingerprint))]
[JsonSerializable(typeof(StoredReport))]
[JsonSerializable(typeof(IReadOnlyList<long>))]
[JsonSerializable(typeof(IReadOnlyList<double>))]
internal sealed partial class GenomeJson : JsonSerializerContext;
