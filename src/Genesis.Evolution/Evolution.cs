using System.Globalization;
using Genesis.Execution;
using Genesis.Persistence;

namespace Genesis;

/// <summary>
/// The entry point of code evolution:
/// <c>await Evolution.For&lt;MyTask&gt;().WithIslands(4).WithLlm(client).RunAsync(ct)</c>.
/// </summary>
public static class Evolution
{
    private const string TypePrefix = "type:";
    private const string FolderPrefix = "folder:";

    /// <summary>Starts configuring a run of <typeparamref name="TTask"/>.</summary>
    public static EvolutionBuilder For<TTask>()
        where TTask : IEvolutionTask, new() =>
        new(new TTask(), TypePrefix + typeof(TTask).AssemblyQualifiedName);

    /// <summary>Starts configuring a run of an existing task instance.</summary>
    public static EvolutionBuilder For(IEvolutionTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new EvolutionBuilder(task, task.GetType().GetConstructor(Type.EmptyTypes) is null ? null : TypePrefix + task.GetType().AssemblyQualifiedName);
    }

    /// <summary>
    /// Starts configuring a run of a task folder in OpenEvolve's shape (<c>initial_program.py</c> + <c>evaluator.py</c>) or
    /// ShinkaEvolve's (<c>initial.py</c> + <c>evaluate.py</c>), unmodified.
    /// </summary>
    public static EvolutionBuilder ForFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        return new EvolutionBuilder(TaskFolder.Load(full), FolderPrefix + full);
    }

    /// <summary>
    /// Continues the run stored in <paramref name="runFolder"/>: the same task (a task class with a parameterless constructor,
    /// or a task folder), islands and seed; the LLM from the environment. Evaluated candidates are kept, pending ones are
    /// evaluated, and the budget counts completed work. Adjust anything on the returned builder before running.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder holds no Genesis run.</exception>
    public static EvolutionBuilder Resume(string runFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        var full = Path.GetFullPath(runFolder);
        if (!File.Exists(Path.Combine(full, RunDatabase.FileName)))
        {
            throw new DirectoryNotFoundException($"Evolution.Resume: {full} holds no Genesis run ({RunDatabase.FileName} is missing).");
        }

        string? source;
        int? islands;
        int? seed;
        int? maxEvaluations;
        using (var database = RunDatabase.Open(full))
        {
            source = database.GetMeta("task_source");
            islands = ReadInt(database.GetMeta("islands"));
            seed = ReadInt(database.GetMeta("seed"));
            maxEvaluations = ReadInt(database.GetMeta("max_evaluations"));
        }

        EvolutionBuilder builder;
        if (source is not null && source.StartsWith(FolderPrefix, StringComparison.Ordinal))
        {
            builder = ForFolder(source[FolderPrefix.Length..]);
        }
        else if (source is not null && source.StartsWith(TypePrefix, StringComparison.Ordinal))
        {
            var typeName = source[TypePrefix.Length..];
            var type = Type.GetType(typeName, throwOnError: false)
                ?? throw new InvalidOperationException($"Evolution.Resume: the task type '{typeName}' of {full} cannot be loaded; use Evolution.For<TTask>().WithRunFolder(\"{full}\") instead.");
            var task = (IEvolutionTask)(Activator.CreateInstance(type)
                ?? throw new InvalidOperationException($"Evolution.Resume: the task type '{typeName}' cannot be created."));
            builder = new EvolutionBuilder(task, source);
        }
        else
        {
            throw new InvalidOperationException($"Evolution.Resume: the run in {full} was made from a task instance that cannot be recreated; use Evolution.For(task).WithRunFolder(\"{full}\") instead.");
        }

        builder.WithRunFolder(full).WithLlmFromEnvironment();
        if (islands is { } count)
        {
            builder.WithIslands(count);
        }

        if (seed is { } value)
        {
            builder.WithSeed(value);
        }

        if (maxEvaluations is { } max)
        {
            builder.WithBudget(maxEvaluations: max);
        }

        return builder;
    }

    private static int? ReadInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
