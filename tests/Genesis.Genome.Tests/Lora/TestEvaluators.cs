using System.Collections.Concurrent;
using System.Globalization;
using Genesis.Adapters;
using Genesis.Lora;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Lora;

/// <summary>Evaluators whose fitness is a known function of the adapter's values, for loop tests.</summary>
internal static class TestEvaluators
{
    /// <summary>A report with one task of one sample whose answer is the score itself.</summary>
    public static FitnessReport Report(double value, string task = "t") => new()
    {
        Value = value,
        Tasks = [new TaskFitness { Name = task, Weight = 1, Score = value, Samples = [new SampleScore { Score = value, ExtractedAnswer = value.ToString("R", CultureInfo.InvariantCulture), Reason = "test" }] }],
    };
}

/// <summary>
/// Fitness 1/(1 + ‖x − (3, 3, …)‖²): merges and mutations can approach the target. Counts its calls, tracks the most
/// evaluations in flight at once, keeps a copy of every adapter it saw by name, and can fail after a number of calls
/// (a crash in the middle of a generation).
/// </summary>
internal sealed class DistanceEvaluator : IAdapterEvaluator
{
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Throws on the call after this many successful ones; <see langword="null"/> for never.</summary>
    public int? FailAfter { get; init; }

    /// <summary>Whether calls yield and finish in a scrambled order (to exercise concurrency).</summary>
    public bool Scramble { get; init; }

    public int Calls => _calls;

    public int MaxInFlight => _maxInFlight;

    public ConcurrentDictionary<string, float[]> Seen { get; } = new(StringComparer.Ordinal);

    public static double Fitness(ReadOnlySpan<float> values)
    {
        double d = 0;
        foreach (var v in values)
        {
            d += (v - 3) * (v - 3);
        }

        return 1 / (1 + d);
    }

    public async Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = Interlocked.Increment(ref _calls);
        if (FailAfter is { } limit && call > limit)
        {
            throw new InvalidOperationException("evaluator crashed");
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            var values = adapter.Values.ToArray();
            if (Scramble)
            {
                // Later calls finish first more often than not: completion order differs from start order.
                for (var i = 0; i < (7 - (call % 7)) * 3; i++)
                {
                    await Task.Yield();
                }
            }

            Seen[adapter.Name] = values;
            return TestEvaluators.Report(Fitness(values));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>Every adapter scores 0.5.</summary>
internal sealed class ConstantEvaluator : IAdapterEvaluator
{
    public Task<FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default) =>
        Task.FromResult(TestEvaluators.Report(0.5));
}
