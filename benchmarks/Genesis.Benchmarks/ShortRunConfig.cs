using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Genesis.Benchmarks;

/// <summary>
/// One launch, 3 warm-up and 10 measured iterations: the whole suite runs in a few minutes on a 2-core machine. Every
/// class has a baseline, so its Ratio column compares our code with the reference measured in the same run.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);

        // "12.3x faster" / "4.5x slower" than the baseline: selection is up to 10^5 times faster than a full sort, which a
        // plain ratio would print as 0.000.
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}
