using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Loads a task folder written for OpenEvolve (<c>initial_program.&lt;ext&gt;</c> + <c>evaluator.py</c>) or
/// ShinkaEvolve (<c>initial.&lt;ext&gt;</c> + <c>evaluate.py</c>), so existing tasks run unmodified.
/// </summary>
/// <remarks>
/// <para>
/// The language comes from the initial program's extension (any of <see cref="ProgramLanguage.Known"/>). The
/// description is the first of <c>prompt.txt</c>, <c>task.md</c> and <c>README.md</c> found in the folder (the files
/// written for the LLM before a general README), else empty. The task's name is the folder's name.
/// </para>
/// <para>
/// A folder in both shapes is loaded as a ShinkaEvolve task: its file contract (<c>metrics.json</c> with public and
/// private metrics, <c>correct.json</c>) is Genesis's own and loses nothing in translation.
/// </para>
/// </remarks>
public static class TaskFolder
{
    /// <summary>ShinkaEvolve's initial program's file name without extension.</summary>
    public const string ShinkaInitialStem = "initial";

    /// <summary>ShinkaEvolve's evaluator script.</summary>
    public const string ShinkaEvaluatorFileName = "evaluate.py";

    /// <summary>OpenEvolve's initial program's file name without extension.</summary>
    public const string OpenEvolveInitialStem = "initial_program";

    /// <summary>OpenEvolve's evaluator script.</summary>
    public const string OpenEvolveEvaluatorFileName = "evaluator.py";

    private static readonly string[] DescriptionFiles = ["prompt.txt", "task.md", "README.md"];

    /// <summary>Loads the task in <paramref name="path"/>.</summary>
    /// <param name="path">The task folder.</param>
    /// <param name="options">Options for the evaluator the task uses; <see langword="null"/> for the defaults.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The initial program or the evaluator script is missing; the message names the files expected.</exception>
    /// <exception cref="ArgumentException">The folder holds several initial programs of one shape (for example <c>initial.py</c> and <c>initial.rs</c>).</exception>
    public static IEvolutionTask Load(string path, ScriptEvaluatorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetFullPath(path);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"task folder not found: {folder}");
        }

        var shinkaInitial = Single(FindInitial(folder, ShinkaInitialStem), folder, path);
        var openEvolveInitial = Single(FindInitial(folder, OpenEvolveInitialStem), folder, path);
        var shinkaEvaluator = Path.Combine(folder, ShinkaEvaluatorFileName);
        var openEvolveEvaluator = Path.Combine(folder, OpenEvolveEvaluatorFileName);

        string initial;
        IEvaluator evaluator;
        if (shinkaInitial is not null && File.Exists(shinkaEvaluator))
        {
            initial = shinkaInitial;
            evaluator = new ShinkaScriptEvaluator(shinkaEvaluator, options);
        }
        else if (openEvolveInitial is not null && File.Exists(openEvolveEvaluator))
        {
            initial = openEvolveInitial;
            evaluator = new OpenEvolveScriptEvaluator(openEvolveEvaluator, options);
        }
        else
        {
            throw Missing(folder, shinkaInitial, openEvolveInitial);
        }

        var language = ProgramLanguage.Find(Path.GetExtension(initial))!;
        return new FolderTask(
            Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)),
            language,
            File.ReadAllText(initial, Encoding.UTF8),
            ReadDescription(folder),
            evaluator);
    }

    private static List<string> FindInitial(string folder, string stem)
    {
        var found = Directory.EnumerateFiles(folder, stem + ".*", SearchOption.TopDirectoryOnly)
            .Where(file => Path.GetFileNameWithoutExtension(file) == stem && ProgramLanguage.Find(Path.GetExtension(file)) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
        return found;
    }

    private static string? Single(List<string> found, string folder, string path) => found.Count switch
    {
        0 => null,
        1 => found[0],
        _ => throw new ArgumentException($"several initial programs in {folder}: {string.Join(", ", found.Select(Path.GetFileName))}; keep one.", nameof(path)),
    };

    private static FileNotFoundException Missing(string folder, string? shinkaInitial, string? openEvolveInitial)
    {
        if (shinkaInitial is null && openEvolveInitial is null)
        {
            return new FileNotFoundException(
                $"no initial program: expected {OpenEvolveInitialStem}.py (OpenEvolve) or {ShinkaInitialStem}.py (ShinkaEvolve), "
                + $"or the same name with another language's extension, in {folder}");
        }

        var expected = new List<string>();
        if (shinkaInitial is not null)
        {
            expected.Add($"{ShinkaEvaluatorFileName} next to {Path.GetFileName(shinkaInitial)} (ShinkaEvolve)");
        }

        if (openEvolveInitial is not null)
        {
            expected.Add($"{OpenEvolveEvaluatorFileName} next to {Path.GetFileName(openEvolveInitial)} (OpenEvolve)");
        }

        return new FileNotFoundException($"no evaluator: expected {string.Join(" or ", expected)} in {folder}");
    }

    private static string ReadDescription(string folder)
    {
        foreach (var name in DescriptionFiles)
        {
            var file = Path.Combine(folder, name);
            if (File.Exists(file))
            {
                return File.ReadAllText(file, Encoding.UTF8).Trim();
            }
        }

        return string.Empty;
    }

    private sealed class FolderTask(string name, ProgramLanguage language, string initialProgram, string description, IEvaluator evaluator)
        : IEvolutionTask
    {
        public string Name { get; } = name;

        public ProgramLanguage Language { get; } = language;

        public string InitialProgram { get; } = initialProgram;

        public string Description { get; } = description;

        public IEvaluator Evaluator { get; } = evaluator;
    }
}
