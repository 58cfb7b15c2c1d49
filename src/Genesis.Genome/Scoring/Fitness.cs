using Genesis.Datasets;

namespace Genesis.Scoring;

/// <summary>One task of a fitness: its samples (the validation split), its scorer and its weight.</summary>
public sealed record FitnessTask
{
    /// <summary>The task's name, unique within a fitness (for example <c>GSM8K</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The samples scored; GENOME uses about 200 validation samples per task.</summary>
    public required IReadOnlyList<TaskSample> Samples { get; init; }

    /// <summary>How an output to one of the samples is scored.</summary>
    public required ITaskScorer Scorer { get; init; }

    /// <summary>The task's weight before normalisation, finite and at least 0. Default: 1.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>
    /// A task over the validation split of <paramref name="dataset"/>, optionally sub-sampled with
    /// <see cref="TaskDataset.Subsample(DatasetSplit, int, int)"/>.
    /// </summary>
    /// <param name="dataset">The dataset; its format's name becomes the task's name.</param>
    /// <param name="scorer">The scorer.</param>
    /// <param name="weight">The weight. Default: 1.</param>
    /// <param name="maxSamples">At most this many validation samples, or <see langword="null"/> for all.</param>
    /// <param name="seed">The seed of the sub-sample. Default: 42.</param>
    public static FitnessTask FromValidation(TaskDataset dataset, ITaskScorer scorer, double weight = 1, int? maxSamples = null, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(scorer);
        return new FitnessTask
        {
            Name = dataset.Format.Name,
            Samples = maxSamples is { } count ? dataset.Subsample(DatasetSplit.Validation, count, seed) : dataset.Validation,
            Scorer = scorer,
            Weight = weight,
        };
    }
}

/// <summary>One task's part of a <see cref="FitnessReport"/>.</summary>
public sealed record TaskFitness
{
    /// <summary>The task's name.</summary>
    public required string Name { get; init; }

    /// <summary>The weight after normalisation (all weights sum to 1).</summary>
    public required double Weight { get; init; }

    /// <summary>The mean sample score.</summary>
    public required double Score { get; init; }

    /// <summary>Every sample's score, in sample order.</summary>
    public required IReadOnlyList<SampleScore> Samples { get; init; }
}

/// <summary>A fitness and how it was made up.</summary>
public sealed record FitnessReport
{
    /// <summary>The weighted sum of the task scores, between 0 and 1.</summary>
    public required double Value { get; init; }

    /// <summary>Each task's weight, score and sample scores, in the order given.</summary>
    public required IReadOnlyList<TaskFitness> Tasks { get; init; }
}

/// <summary>
/// GENOME's fitness: a weighted sum of task scores on the validation split, weights normalised to sum to 1.
/// </summary>
public static class Fitness
{
    /// <summary>The weighted sum of <paramref name="scores"/>, each task's weight divided by the sum of the weights.</summary>
    /// <param name="scores">Each task's score.</param>
    /// <param name="weights">Each task's weight, finite and at least 0, summing to more than 0; exactly the tasks of <paramref name="scores"/>.</param>
    /// <exception cref="ArgumentException">A task lacks a weight or a score, a weight is negative or not finite, or the weights sum to 0.</exception>
    public static double WeightedSum(IReadOnlyDictionary<string, double> scores, IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(weights);
        if (scores.Count == 0)
        {
            throw new ArgumentException("Fitness.WeightedSum: there must be at least one task score.", nameof(scores));
        }

        foreach (var task in weights.Keys)
        {
            if (!scores.ContainsKey(task))
            {
                throw new ArgumentException($"Fitness.WeightedSum: task '{task}' has a weight but no score.", nameof(weights));
            }
        }

        var pairs = new List<(double Score, double Weight)>();
        foreach (var (task, score) in scores)
        {
            if (!weights.TryGetValue(task, out var weight))
            {
                throw new ArgumentException($"Fitness.WeightedSum: task '{task}' has a score but no weight.", nameof(weights));
            }

            if (!double.IsFinite(score))
            {
                throw new ArgumentException($"Fitness.WeightedSum: task '{task}' has score {score}; scores must be finite.", nameof(scores));
            }

            pairs.Add((score, weight));
        }

        var normalised = Normalise(pairs.ConvertAll(p => p.Weight), "Fitness.WeightedSum", n => scores.Keys.ElementAt(n));
        var sum = 0.0;
        for (var i = 0; i < pairs.Count; i++)
        {
            sum += normalised[i] * pairs[i].Score;
        }

        return sum;
    }

    /// <summary>
    /// Generates an output for every sample of every task, scores it, averages per task, and sums the averages with the
    /// normalised weights. Sample scores are kept in sample order whatever the concurrency.
    /// </summary>
    /// <param name="tasks">The tasks, with unique names and at least one sample each.</param>
    /// <param name="generate">The model under evaluation: the output for a sample.</param>
    /// <param name="maxConcurrency">How many samples are generated and scored at once, between 1 and 1024. Default: 1.</param>
    /// <param name="cancellationToken">Stops the evaluation; it is passed to <paramref name="generate"/> and to the scorers.</param>
    /// <exception cref="ArgumentException">No task, a duplicate or empty name, a task without samples, or bad weights; the message names the task.</exception>
    public static async ValueTask<FitnessReport> EvaluateAsync(
        IReadOnlyList<FitnessTask> tasks,
        Func<TaskSample, CancellationToken, ValueTask<string>> generate,
        int maxConcurrency = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(generate);
        if (maxConcurrency is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcurrency), maxConcurrency, $"Fitness.EvaluateAsync: maxConcurrency must be between 1 and 1024, was {maxConcurrency}.");
        }

        if (tasks.Count == 0)
        {
            throw new ArgumentException("Fitness.EvaluateAsync: there must be at least one task.", nameof(tasks));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t < tasks.Count; t++)
        {
            var task = tasks[t] ?? throw new ArgumentException($"Fitness.EvaluateAsync: task {t} is null.", nameof(tasks));
            if (string.IsNullOrWhiteSpace(task.Name) || !names.Add(task.Name))
            {
                throw new ArgumentException($"Fitness.EvaluateAsync: task {t} has an empty or repeated name '{task.Name}'.", nameof(tasks));
            }

            if (task.Samples is null || task.Samples.Count == 0 || task.Scorer is null)
            {
                throw new ArgumentException($"Fitness.EvaluateAsync: task '{task.Name}' needs at least one sample and a scorer.", nameof(tasks));
            }
        }

        var weights = Normalise(tasks.Select(t => t.Weight).ToList(), "Fitness.EvaluateAsync", n => tasks[n].Name);
        var work = tasks.SelectMany((task, t) => task.Samples.Select((sample, s) => (Task: t, Index: s, Sample: sample))).ToList();
        var results = tasks.Select(t => new SampleScore[t.Samples.Count]).ToArray();
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                var output = await generate(item.Sample, token).ConfigureAwait(false);
                results[item.Task][item.Index] = await tasks[item.Task].Scorer.ScoreAsync(item.Sample, output ?? string.Empty, token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        var parts = new TaskFitness[tasks.Count];
        var value = 0.0;
        for (var t = 0; t < tasks.Count; t++)
        {
            var mean = results[t].Average(s => s.Score);
            parts[t] = new TaskFitness { Name = tasks[t].Name, Weight = weights[t], Score = mean, Samples = results[t] };
            value += weights[t] * mean;
        }

        return new FitnessReport { Value = value, Tasks = parts };
    }

    private static double[] Normalise(List<double> weights, string method, Func<int, string> name)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new ArgumentException($"{method}: task '{name(i)}' has weight {weights[i]}; weights must be finite and at least 0.", nameof(weights));
            }

            total += weights[i];
        }

        if (total <= 0)
        {
            throw new ArgumentException($"{method}: the weights sum to 0; at least one task needs a positive weight.", nameof(weights));
        }

        return weights.Select(w => w / total).ToArray();
    }
}
