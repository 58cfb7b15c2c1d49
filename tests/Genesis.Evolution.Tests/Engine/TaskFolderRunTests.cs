namespace Genesis.Tests.Engine;

public sealed class TaskFolderRunTests
{
    [Fact]
    public async Task A_ShinkaEvolve_task_folder_runs_unmodified_and_resumes_by_path()
    {
        using var folder = new TempRunFolder();
        var task = Path.Combine(RepositoryRoot(), "samples", "KModule", "task");
        var first = await Evolution.ForFolder(task).WithBudget(maxEvaluations: 6).WithRunFolder(folder.Path).RunAsync();
        Assert.Equal(0.25, first.InitialScore, 9);
        Assert.Equal(6, first.CompletedEvaluations);

        // Resume knows the task from the folder it was made from, and a larger budget continues the same run.
        var resumed = await Evolution.Resume(folder.Path).WithBudget(maxEvaluations: 9).RunAsync();
        Assert.Equal(9, resumed.CompletedEvaluations);
        Assert.True(resumed.BestScore >= first.BestScore);
    }

    [Fact]
    public async Task An_OpenEvolve_task_folder_runs_unmodified()
    {
        using var task = new TempRunFolder();
        Directory.CreateDirectory(task.Path);
        File.WriteAllText(Path.Combine(task.Path, "initial_program.py"), "# EVOLVE-BLOCK-START\nx = 0.5\n# EVOLVE-BLOCK-END\n");
        File.WriteAllText(Path.Combine(task.Path, "evaluator.py"), """
            import importlib.util

            def evaluate(program_path):
                spec = importlib.util.spec_from_file_location("candidate", program_path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return {"score": 1.0 - (module.x - 2.0) ** 2, "x": module.x}
            """);
        using var folder = new TempRunFolder();
        var result = await Evolution.ForFolder(task.Path).WithBudget(maxEvaluations: 12).WithRunFolder(folder.Path).RunAsync();

        Assert.Equal(12, result.CompletedEvaluations);
        Assert.True(result.BestScore > result.InitialScore);
        Assert.Contains("x", result.BestMetrics.Keys);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Genesis.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Genesis.Sdk.sln not found above the test folder.");
    }
}

public sealed class EvolutionTaskTests
{
    [Fact]
    public async Task A_task_from_a_file_evolves_like_a_task_class()
    {
        using var folder = new TempRunFolder();
        Directory.CreateDirectory(folder.Path);
        var program = Path.Combine(folder.Path, "initial.py");
        File.WriteAllText(program, new QuadraticTask().InitialProgram);
        var task = EvolutionTask.FromFile(program, new QuadraticTask().Evaluator, "maximise 1 - (x - 2)^2");
        Assert.Equal(ProgramLanguage.Python, task.Language);
        Assert.Equal("initial", task.Name);

        var result = await Evolution.For(task).WithBudget(maxEvaluations: 8).WithRunFolder(Path.Combine(folder.Path, "run")).RunAsync();
        Assert.Equal(8, result.CompletedEvaluations);
    }

    [Fact]
    public void A_missing_file_or_unknown_extension_is_named()
    {
        using var folder = new TempRunFolder();
        Directory.CreateDirectory(folder.Path);
        var evaluator = new QuadraticTask().Evaluator;
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => EvolutionTask.FromFile(Path.Combine(folder.Path, "none.py"), evaluator)).Message, StringComparison.Ordinal);
        var cobol = Path.Combine(folder.Path, "program.cob");
        File.WriteAllText(cobol, "x");
        Assert.Contains("names no known language", Assert.Throws<ArgumentException>(() => EvolutionTask.FromFile(cobol, evaluator)).Message, StringComparison.Ordinal);
    }
}
