using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// Evaluates a candidate in stages (OpenEvolve's cascade, AlphaEvolve's evaluation cascade): a quick check first, and the
/// expensive benchmark only for candidates whose stage score reaches the stage's threshold. Every stage that ran keeps its
/// metrics (prefixed with the stage's name); the result's score and correctness are those of the last stage that ran.
/// </summary>
/// <remarks>Each stage runs in its own subfolder of the candidate's working folder, so stages never overwrite each other's files.</remarks>
public sealed class CascadeEvaluator : IEvaluator
{
    private readonly IReadOnlyList<CascadeStage> _stages;

    /// <summary>Creates a cascade of at least one stage, with distinct names.</summary>
    public CascadeEvaluator(IReadOnlyList<CascadeStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("Evaluators.Cascade: give at least one stage.", nameof(stages));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stages.Count; i++)
        {
            stages[i].Validate(i);
            if (!names.Add(stages[i].Name))
            {
                throw new ArgumentException($"Evaluators.Cascade: two stages are named '{stages[i].Name}'.", nameof(stages));
            }
        }

        _stages = stages.ToArray();
    }

    /// <inheritdoc/>
    public async ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var privateMetrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var feedback = new List<string>();
        var duration = TimeSpan.Zero;
        EvaluationResult? last = null;
        for (var i = 0; i < _stages.Count; i++)
        {
            var stage = _stages[i];
            var folder = Path.Combine(request.WorkingDirectory, stage.Name);
            Directory.CreateDirectory(folder);
            var result = await stage.Evaluator.EvaluateAsync(request with { WorkingDirectory = folder }, cancellationToken).ConfigureAwait(false);
            duration += result.Duration;
            last = result;
            metrics[$"{stage.Name}.score"] = result.IsSuccess ? result.Score : 0;
            foreach (var (name, value) in result.PublicMetrics)
            {
                metrics[$"{stage.Name}.{name}"] = value;
            }

            foreach (var (name, value) in result.PrivateMetrics)
            {
                privateMetrics[$"{stage.Name}.{name}"] = value;
            }

            if (result.TextFeedback.Length > 0)
            {
                feedback.Add($"[{stage.Name}] {result.TextFeedback}");
            }

            if (i == _stages.Count - 1)
            {
                break;
            }

            if (!result.IsSuccess || !result.Correct || result.Score < stage.Threshold)
            {
                var why = !result.IsSuccess ? result.Status.ToString() : !result.Correct ? "incorrect" : string.Create(CultureInfo.InvariantCulture, $"score {result.Score:G6} < threshold {stage.Threshold:G6}");
                feedback.Add($"Stopped after stage '{stage.Name}' ({why}); the later stages did not run.");
                metrics["cascade.stages_passed"] = i;
                return result with
                {
                    PublicMetrics = metrics,
                    PrivateMetrics = privateMetrics,
                    TextFeedback = string.Join('\n', feedback),
                    Duration = duration,
                };
            }
        }

        metrics["cascade.stages_passed"] = _stages.Count;
        return last! with
        {
            PublicMetrics = metrics,
            PrivateMetrics = privateMetrics,
            TextFeedback = string.Join('\n', feedback),
            Duration = duration,
        };
    }
}
