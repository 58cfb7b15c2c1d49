using System.Globalization;
using Genesis.Adapters;
using Genesis.Lora;
using Genesis.Scoring;

namespace GenomeVllm;

/// <summary>An <see cref="IAdapterEvaluator"/> that prints one line per finished evaluation of the evaluator it wraps.</summary>
/// <param name="inner">The evaluator doing the work.</param>
/// <param name="output">Where the lines go; writes are serialised.</param>
public sealed class ProgressEvaluator(IAdapterEvaluator inner, TextWriter output) : IAdapterEvaluator
{
    private readonly Lock _gate = new();
    private int _count;

    /// <summary>The label of the lines (the method being run); set between phases, not during one.</summary>
    public string Stage { get; set; } = string.Empty;

    /// <summary>Evaluations finished so far, on both splits.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public async Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var report = await inner.EvaluateAsync(adapter, split, cancellationToken).ConfigureAwait(false);
        var n = Interlocked.Increment(ref _count);
        lock (_gate)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{n,4}] {Stage,-14} {adapter.Name,-16} {(split == EvaluationSplit.Test ? "test" : "validation"),-10} {report.Value:F3}"));
        }

        return report;
    }
}
