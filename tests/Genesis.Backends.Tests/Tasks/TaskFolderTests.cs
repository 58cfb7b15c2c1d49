using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Tasks;

public sealed class TaskFolderTests : IDisposable
{
    private const string ShinkaEvaluate = """
        import argparse, json, os, runpy
        parser = argparse.ArgumentParser()
        parser.add_argument("--program_path")
        parser.add_argument("--results_dir")
        args = parser.parse_args()
        value = runpy.run_path(args.program_path)["solve"]()
        with open(os.path.join(args.results_dir, "metrics.json"), "w") as handle:
            json.dump({"combined_score": value, "text_feedback": "shinka"}, handle)
        """;

    private const string OpenEvolveEvaluator = """
        import runpy

        def evaluate(program_path):
            return {"combined_score": runpy.run_path(program_path)["solve"]() * 2, "shape": 1.0}
        """;

    private const string Initial = "# EVOLVE-BLOCK-START\ndef solve():\n    return 21\n# EVOLVE-BLOCK-END\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<EvaluationResult> EvaluateInitialAsync(IEvolutionTask task) =>
        await task.Evaluator.EvaluateAsync(new EvaluationRequest
        {
            CandidateId = 0,
            Code = task.InitialProgram,
            Language = task.Language,
            WorkingDirectory = _folder.Folder("work"),
            Backend = Backends.Local(1),
            Timeout = TimeSpan.FromMinutes(2),
        });

    [Fact]
    public async Task A_shinka_folder_loads_and_runs_unmodified()
    {
        var path = _folder.Folder("circle_packing");
        _folder.Write("circle_packing/initial.py", Initial);
        _folder.Write("circle_packing/evaluate.py", ShinkaEvaluate);
        _folder.Write("circle_packing/README.md", "# Circle packing\nPack 26 circles.\n");

        var task = TaskFolder.Load(path);

        Assert.Equal("circle_packing", task.Name);
        Assert.Equal(ProgramLanguage.Python, task.Language);
        Assert.Equal(Initial, task.InitialProgram);
        Assert.Equal("# Circle packing\nPack 26 circles.", task.Description);
        var evaluator = Assert.IsType<ShinkaScriptEvaluator>(task.Evaluator);
        Assert.Equal(Path.Combine(path, "evaluate.py"), evaluator.ScriptPath);
        var result = await EvaluateInitialAsync(task);
        Assert.True(result.IsSuccess, result.TextFeedback);
        Assert.Equal(21, result.Score);
        Assert.Equal("shinka", result.TextFeedback);
    }

    [Fact]
    public async Task An_openevolve_folder_loads_and_runs_unmodified()
    {
        var path = _folder.Folder("oe_task");
        _folder.Write("oe_task/initial_program.py", Initial);
        _folder.Write("oe_task/evaluator.py", OpenEvolveEvaluator);
        _folder.Write("oe_task/prompt.txt", "Maximise solve().\n");
        _folder.Write("oe_task/README.md", "A long readme.");

        var task = TaskFolder.Load(path);

        Assert.Equal(ProgramLanguage.Python, task.Language);
        Assert.Equal("Maximise solve().", task.Description);
        Assert.IsType<OpenEvolveScriptEvaluator>(task.Evaluator);
        var result = await EvaluateInitialAsync(task);
        Assert.True(result.IsSuccess, result.TextFeedback);
        Assert.Equal(42, result.Score);
        Assert.Equal(1.0, result.PublicMetrics["shape"]);
    }

    [Fact]
    public void A_folder_in_both_shapes_is_loaded_as_shinka()
    {
        var path = _folder.Folder("both");
        _folder.Write("both/initial.py", "shinka = True\n");
        _folder.Write("both/evaluate.py", ShinkaEvaluate);
        _folder.Write("both/initial_program.py", "openevolve = True\n");
        _folder.Write("both/evaluator.py", OpenEvolveEvaluator);

        var task = TaskFolder.Load(path);

        Assert.IsType<ShinkaScriptEvaluator>(task.Evaluator);
        Assert.Equal("shinka = True\n", task.InitialProgram);
    }

    [Fact]
    public void The_language_comes_from_the_initial_programs_extension_and_the_description_may_be_empty()
    {
        var path = _folder.Folder("rust_task");
        _folder.Write("rust_task/initial_program.rs", "fn main() {}\n");
        _folder.Write("rust_task/evaluator.py", OpenEvolveEvaluator);

        var task = TaskFolder.Load(path);

        Assert.Equal(ProgramLanguage.Rust, task.Language);
        Assert.Equal(string.Empty, task.Description);
    }

    [Fact]
    public void A_missing_folder_throws_directory_not_found()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => TaskFolder.Load(_folder.File("absent")));

        Assert.Contains(_folder.File("absent"), error.Message);
    }

    [Fact]
    public void A_folder_without_an_initial_program_names_the_files_expected()
    {
        var path = _folder.Folder("empty");
        _folder.Write("empty/evaluate.py", ShinkaEvaluate);

        var error = Assert.Throws<FileNotFoundException>(() => TaskFolder.Load(path));

        Assert.StartsWith($"no initial program: expected initial_program.py (OpenEvolve) or initial.py (ShinkaEvolve)", error.Message);
        Assert.EndsWith($"in {path}", error.Message);
    }

    [Fact]
    public void An_initial_program_without_its_evaluator_names_the_evaluator_expected()
    {
        var shinka = _folder.Folder("shinka_only");
        _folder.Write("shinka_only/initial.py", Initial);
        var openEvolve = _folder.Folder("oe_only");
        _folder.Write("oe_only/initial_program.py", Initial);
        _folder.Write("oe_only/evaluate.py", ShinkaEvaluate);

        var shinkaError = Assert.Throws<FileNotFoundException>(() => TaskFolder.Load(shinka));
        var openEvolveError = Assert.Throws<FileNotFoundException>(() => TaskFolder.Load(openEvolve));

        Assert.Equal($"no evaluator: expected evaluate.py next to initial.py (ShinkaEvolve) in {shinka}", shinkaError.Message);
        Assert.Equal($"no evaluator: expected evaluator.py next to initial_program.py (OpenEvolve) in {openEvolve}", openEvolveError.Message);
    }

    [Fact]
    public void Several_initial_programs_of_one_shape_are_ambiguous()
    {
        var path = _folder.Folder("two");
        _folder.Write("two/initial.py", Initial);
        _folder.Write("two/initial.rs", "fn main() {}\n");
        _folder.Write("two/evaluate.py", ShinkaEvaluate);

        var error = Assert.Throws<ArgumentException>(() => TaskFolder.Load(path));

        Assert.Contains("initial.py, initial.rs", error.Message);
    }
}
