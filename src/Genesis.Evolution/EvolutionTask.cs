namespace Genesis;

/// <summary>
/// A task assembled from parts instead of written as a class: <c>Evolution.For(EvolutionTask.FromFile("initial.py", evaluator))</c>.
/// </summary>
public sealed class EvolutionTask : IEvolutionTask
{
    /// <summary>A short name for logs and the run folder.</summary>
    public required string Name { get; init; }

    /// <inheritdoc/>
    public required ProgramLanguage Language { get; init; }

    /// <inheritdoc/>
    public required string InitialProgram { get; init; }

    /// <inheritdoc/>
    public string Description { get; init; } = string.Empty;

    /// <inheritdoc/>
    public required IEvaluator Evaluator { get; init; }

    /// <inheritdoc/>
    public double? MaxScore { get; init; }

    /// <inheritdoc/>
    public IReadOnlyList<FeatureDimension> FeatureDimensions { get; init; } = [];

    /// <summary>
    /// A task whose initial program is read from <paramref name="initialProgramPath"/>; the language comes from the file's
    /// extension unless <paramref name="language"/> is given.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The extension names no known language and none was given.</exception>
    public static EvolutionTask FromFile(string initialProgramPath, IEvaluator evaluator, string description = "", ProgramLanguage? language = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(initialProgramPath);
        ArgumentNullException.ThrowIfNull(evaluator);
        var path = Path.GetFullPath(initialProgramPath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"EvolutionTask.FromFile: the initial program {path} does not exist.", path);
        }

        var resolved = language ?? ProgramLanguage.Find(Path.GetExtension(path))
            ?? throw new ArgumentException($"EvolutionTask.FromFile: the extension of {path} names no known language ({string.Join(", ", ProgramLanguage.Known.Select(l => l.FileExtension))}); pass the language.", nameof(initialProgramPath));
        return new EvolutionTask
        {
            Name = Path.GetFileNameWithoutExtension(path),
            Language = resolved,
            InitialProgram = File.ReadAllText(path),
            Description = description,
            Evaluator = evaluator,
        };
    }
}
