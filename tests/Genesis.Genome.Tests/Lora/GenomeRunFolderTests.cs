using Genesis.Adapters;
using Genesis.Lora;

namespace Genesis.GenomeTests.Lora;

/// <summary>Run folders: a run survives a crash in the middle of a generation and resumes to the same result.</summary>
public sealed class GenomeRunFolderTests : IDisposable
{
    private static readonly LoraAdapterConfig Config = LoraAdapterConfig.ForModules(["m"], 2, 2);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "genesis-genome-runs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static List<LoraAdapter> Population() =>
        [.. Enumerable.Range(0, 6).Select(i => LoraAdapter.FromMatrices(
            "expert" + i,
            Config,
            [(new LoraModuleShape("m", 2, 3, 3), Enumerable.Range(0, 6).Select(j => (float)Math.Sin(i + j)).ToArray(), Enumerable.Range(0, 6).Select(j => (float)Math.Cos(i * j)).ToArray())]))];

    private static GenomeBuilder Builder(IAdapterEvaluator evaluator, bool plus) =>
        (plus ? Genome.For(evaluator).WithSuccession().WithMaxPopulation(9) : Genome.For(evaluator))
            .WithPopulation(Population()).WithMutation(0.5, 0.3, 0.2).WithGenerations(6).WithEnsemble(3).WithSeed(11);

    [Theory]
    [InlineData(false, 3)]
    [InlineData(false, 17)]
    [InlineData(true, 17)]
    [InlineData(true, 40)]
    public async Task A_run_that_crashed_mid_generation_resumes_to_the_uninterrupted_result(bool plus, int crashAfter)
    {
        var reference = await Builder(new DistanceEvaluator(), plus).WithRunFolder(Path.Combine(_root, "whole")).RunAsync();

        var folder = Path.Combine(_root, "crashed");
        var crashing = new DistanceEvaluator { FailAfter = crashAfter };
        await Assert.ThrowsAsync<InvalidOperationException>(() => Builder(crashing, plus).WithRunFolder(folder).RunAsync());
        Assert.True(File.Exists(Path.Combine(folder, "genome.db")));

        var resuming = new DistanceEvaluator();
        var resumed = await Builder(resuming, plus).WithRunFolder(folder).RunAsync();

        Assert.Equal(reference.Best.Values.ToArray(), resumed.Best.Values.ToArray());
        Assert.Equal(reference.BestValidation, resumed.BestValidation);
        Assert.Equal(reference.BestTest, resumed.BestTest);
        Assert.Equal(reference.Evaluations, resumed.Evaluations);
        Assert.Equal(reference.History, resumed.History);
        Assert.Equal(reference.Ensemble, resumed.Ensemble);
        Assert.Equal(Describe(reference.Lineage), Describe(resumed.Lineage));

        // The evaluations finished before the crash were not repeated: the resumed run made only the rest (plus the
        // final test evaluations of the best and the ensemble, and the ensemble members' validation reports).
        var validationCalls = reference.Evaluations - crashAfter;
        Assert.InRange(resuming.Calls, validationCalls, validationCalls + 1 + (2 * 3));
        Assert.True(File.Exists(Path.Combine(folder, "best", "adapter_model.safetensors")));
        Assert.Equal(resumed.Best.Values.ToArray(), LoraAdapter.Load(Path.Combine(folder, "best")).Values.ToArray());
    }

    [Fact]
    public async Task A_finished_run_is_returned_from_its_folder_without_evaluating()
    {
        var folder = Path.Combine(_root, "done");
        var first = await Builder(new DistanceEvaluator(), plus: true).WithRunFolder(folder).RunAsync();
        var evaluator = new DistanceEvaluator();
        var again = await Builder(evaluator, plus: true).WithRunFolder(folder).RunAsync();
        Assert.Equal(0, evaluator.Calls);
        Assert.Equal(first.Best.Values.ToArray(), again.Best.Values.ToArray());
        Assert.Equal(first.BestTest, again.BestTest);
        Assert.Equal(first.History, again.History);
        Assert.Equal(Describe(first.Lineage), Describe(again.Lineage));
        Assert.Equal(Path.GetFullPath(folder), again.RunFolder);
    }

    [Fact]
    public async Task Only_the_last_generations_members_and_the_best_are_kept_on_disk()
    {
        var folder = Path.Combine(_root, "disk");
        var result = await Builder(new DistanceEvaluator(), plus: false).WithRunFolder(folder).RunAsync();
        var members = Directory.GetDirectories(Path.Combine(folder, "members")).Select(Path.GetFileName).ToList();
        Assert.Equal(6, members.Count(m => m!.StartsWith('m')));
        Assert.Single(members, m => m!.StartsWith("best-g", StringComparison.Ordinal));
        Assert.DoesNotContain(members, m => m!.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.All(members, m => Assert.True(File.Exists(Path.Combine(folder, "members", m!, "adapter_config.json"))));
        Assert.Equal(6 + (6 * 6), result.Evaluations);
    }

    [Fact]
    public async Task Resuming_with_other_settings_names_the_setting_that_differs()
    {
        var folder = Path.Combine(_root, "settings");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Builder(new DistanceEvaluator { FailAfter = 10 }, plus: false).WithRunFolder(folder).RunAsync());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Builder(new DistanceEvaluator(), plus: false).WithSeed(12).WithRunFolder(folder).RunAsync());
        Assert.Contains("WithSeed = 11", ex.Message, StringComparison.Ordinal);
        Assert.Contains("this builder has 12", ex.Message, StringComparison.Ordinal);
        ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Builder(new DistanceEvaluator(), plus: false).WithMutation(0.5, 0.3, 0.3).WithRunFolder(folder).RunAsync());
        Assert.Contains("WithMutation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_resumes_like_a_crashed_one()
    {
        var reference = await Builder(new DistanceEvaluator(), plus: true).RunAsync();
        var folder = Path.Combine(_root, "cancelled");
        using var cts = new CancellationTokenSource();
        var cancelling = new CancellingEvaluator(new DistanceEvaluator(), cts, after: 25);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Builder(cancelling, plus: true).WithRunFolder(folder).RunAsync(cts.Token));
        var resumed = await Builder(new DistanceEvaluator(), plus: true).WithRunFolder(folder).RunAsync();
        Assert.Equal(reference.Best.Values.ToArray(), resumed.Best.Values.ToArray());
        Assert.Equal(Describe(reference.Lineage), Describe(resumed.Lineage));
    }

    private static List<string> Describe(IEnumerable<LineageRecord> lineage) =>
        [.. lineage.Select(l => $"{l.Id}/{l.Generation}/{l.Operator}/{string.Join(",", l.Parents)}/{string.Join(",", l.Weights)}/{l.Mutated}/{l.Random}/{l.Fitness:R}")];

    /// <summary>Cancels the run's token during the call after <c>after</c> successful ones.</summary>
    private sealed class CancellingEvaluator(IAdapterEvaluator inner, CancellationTokenSource source, int after) : IAdapterEvaluator
    {
        private int _calls;

        public Task<Genesis.Scoring.FitnessReport> EvaluateAsync(LoraAdapter adapter, EvaluationSplit split, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) > after)
            {
                source.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return inner.EvaluateAsync(adapter, split, cancellationToken);
        }
    }
}
