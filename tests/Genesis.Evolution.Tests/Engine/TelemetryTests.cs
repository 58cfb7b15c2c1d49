using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Genesis.Tests.Engine;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Runs_report_metrics_and_traces_under_the_Genesis_name()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, string? Status)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Genesis")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Tag(tags, "genesis.status"))));
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Tag(tags, "genesis.status"))));
        meterListener.Start();

        var activities = new ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Genesis",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(activityListener);

        using var folder = new TempRunFolder();
        await Evolution.For<QuadraticTask>().WithBudget(maxEvaluations: 10).WithRunFolder(folder.Path).RunAsync();

        // Other tests may run at the same time and report too: assert at least this run's share.
        Assert.True(measurements.Count(m => m.Instrument == "genesis.evaluations" && m.Status == "Succeeded") >= 10);
        Assert.True(measurements.Count(m => m.Instrument == "genesis.evaluation.duration") >= 10);
        Assert.True(measurements.Count(m => m.Instrument == "genesis.proposals") >= 9);
        Assert.True(activities.Count(a => a.OperationName == "genesis.evaluate") >= 10);
        Assert.Contains(activities, a => a.OperationName == "genesis.propose" && (string?)a.GetTagItem("genesis.model") == "offline");
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
