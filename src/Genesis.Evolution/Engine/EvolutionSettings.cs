using Genesis.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Genesis.Engine;

/// <summary>Everything a run needs, validated and frozen by <see cref="EvolutionBuilder"/>.</summary>
internal sealed record EvolutionSettings
{
    public required IEvolutionTask Task { get; init; }
    public required string RunFolder { get; init; }
    public required int Islands { get; init; }
    public required int MigrationInterval { get; init; }
    public required double MigrationRate { get; init; }
    public required IReadOnlyList<LlmModel> Models { get; init; }
    public required MutationMix Mix { get; init; }
    public required IParentSelector ParentSelector { get; init; }
    public required int TopInspirations { get; init; }
    public required int DiverseInspirations { get; init; }
    public required double? NoveltyThreshold { get; init; }
    public required IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; init; }
    public required IReadOnlyList<FeatureDimension> FeatureDimensions { get; init; }
    public required int ArchiveCapacity { get; init; }
    public required IExecutionBackend Backend { get; init; }
    public required EvolutionBudget Budget { get; init; }
    public required double? TargetScore { get; init; }
    public required int Seed { get; init; }
    public required int ProposalConcurrency { get; init; }
    public required int EvaluationConcurrency { get; init; }
    public required TimeSpan EvaluationTimeout { get; init; }
    public required PromptTemplates Prompts { get; init; }
    public required int MaxPatchRetries { get; init; }
    public required IReadOnlyList<double> Temperatures { get; init; }
    public required int MaxConsecutiveFailures { get; init; }
    public required TimeProvider TimeProvider { get; init; }
    public required ILoggerFactory LoggerFactory { get; init; }
    public required IReadOnlyList<Action<EvolutionEvent>> EventHandlers { get; init; }
    public required string? TaskSource { get; init; }
}
