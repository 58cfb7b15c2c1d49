using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Genesis.Engine;

/// <summary>
/// The engine's traces and metrics, both named <c>Genesis</c>: subscribe with OpenTelemetry
/// (<c>AddSource("Genesis")</c>, <c>AddMeter("Genesis")</c>) or any <see cref="ActivityListener"/> / <see cref="MeterListener"/>.
/// Tags carry islands, models, mutation kinds and statuses; never code, prompts or keys.
/// </summary>
internal static class GenesisTelemetry
{
    public const string Name = "Genesis";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Evaluations = Meter.CreateCounter<long>("genesis.evaluations", description: "Candidates evaluated, by status.");

    public static readonly Counter<long> Proposals = Meter.CreateCounter<long>("genesis.proposals", description: "Proposals made, by model and outcome (accepted, failed, duplicate).");

    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("genesis.llm.tokens", unit: "{token}", description: "LLM tokens, by model and direction (input, output).");

    public static readonly Counter<double> Cost = Meter.CreateCounter<double>("genesis.llm.cost", description: "LLM cost at the configured prices, by model.");

    public static readonly Histogram<double> EvaluationDuration = Meter.CreateHistogram<double>("genesis.evaluation.duration", unit: "s", description: "Wall-clock time of one evaluation.");

    public static void RecordProposal(Candidate candidate)
    {
        var model = new KeyValuePair<string, object?>("genesis.model", candidate.Model ?? "offline");
        var outcome = candidate.Status switch
        {
            CandidateStatus.MutationFailed => "failed",
            CandidateStatus.Duplicate => "duplicate",
            _ => "accepted",
        };
        Proposals.Add(1, model, new KeyValuePair<string, object?>("genesis.outcome", outcome), new KeyValuePair<string, object?>("genesis.mutation", candidate.Mutation.ToString()));
        if (candidate.InputTokens > 0)
        {
            Tokens.Add(candidate.InputTokens, model, new KeyValuePair<string, object?>("genesis.direction", "input"));
        }

        if (candidate.OutputTokens > 0)
        {
            Tokens.Add(candidate.OutputTokens, model, new KeyValuePair<string, object?>("genesis.direction", "output"));
        }

        if (candidate.Cost > 0)
        {
            Cost.Add(candidate.Cost, model);
        }
    }

    public static void RecordEvaluation(Candidate candidate)
    {
        var evaluation = candidate.Evaluation!;
        var status = new KeyValuePair<string, object?>("genesis.status", evaluation.Status.ToString());
        var island = new KeyValuePair<string, object?>("genesis.island", candidate.Island);
        Evaluations.Add(1, status, island);
        EvaluationDuration.Record(evaluation.Duration.TotalSeconds, status, island);
    }
}
