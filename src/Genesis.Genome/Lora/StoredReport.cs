using System.Text.Json.Serialization;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>
/// A <see cref="FitnessReport"/> as the run folder stores it: short property names and no computed or empty fields, as
/// every evaluation keeps one entry per sample (about a third of the size of the report's own JSON).
/// </summary>
internal sealed record StoredReport
{
    [JsonPropertyName("v")]
    public required double Value { get; init; }

    [JsonPropertyName("t")]
    public required List<StoredTask> Tasks { get; init; }

    public static StoredReport From(FitnessReport report) => new()
    {
        Value = report.Value,
        Tasks = [.. report.Tasks.Select(t => new StoredTask
        {
            Name = t.Name,
            Weight = t.Weight,
            Score = t.Score,
            Samples = [.. t.Samples.Select(s => new StoredSample
            {
                Score = s.Score,
                Answer = s.ExtractedAnswer,
                Reason = s.Reason,
                Metrics = s.Metrics.Count == 0 ? null : new Dictionary<string, double>(s.Metrics, StringComparer.Ordinal),
            })],
        })],
    };

    public FitnessReport ToReport() => new()
    {
        Value = Value,
        Tasks = [.. Tasks.Select(t => new TaskFitness
        {
            Name = t.Name,
            Weight = t.Weight,
            Score = t.Score,
            Samples = [.. t.Samples.Select(s => s.Metrics is null
                ? new SampleScore { Score = s.Score, ExtractedAnswer = s.Answer, Reason = s.Reason }
                : new SampleScore { Score = s.Score, ExtractedAnswer = s.Answer, Reason = s.Reason, Metrics = s.Metrics })],
        })],
    };
}

/// <summary>One task of a <see cref="StoredReport"/>.</summary>
internal sealed record StoredTask
{
    [JsonPropertyName("n")]
    public required string Name { get; init; }

    [JsonPropertyName("w")]
    public required double Weight { get; init; }

    [JsonPropertyName("s")]
    public required double Score { get; init; }

    [JsonPropertyName("x")]
    public required List<StoredSample> Samples { get; init; }
}

/// <summary>One sample of a <see cref="StoredTask"/>.</summary>
internal sealed record StoredSample
{
    [JsonPropertyName("s")]
    public required double Score { get; init; }

    [JsonPropertyName("a")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Answer { get; init; }

    [JsonPropertyName("r")]
    public required string Reason { get; init; }

    [JsonPropertyName("m")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, double>? Metrics { get; init; }
}
