using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Slurm;

/// <summary>The Slurm backend under the ShinkaEvolve script evaluator, end to end on the real cluster.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmEvaluationTests : IDisposable
{
    private const string EvaluateScript = """
        import argparse, importlib.util, json, os

        parser = argparse.ArgumentParser()
        parser.add_argument("--program_path", required=True)
        parser.add_argument("--results_dir", required=True)
        args = parser.parse_args()

        spec = importlib.util.spec_from_file_location("candidate", args.program_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        value = module.solve()
        with open(os.path.join(args.results_dir, "metrics.json"), "w") as handle:
            json.dump({"combined_score": value, "public": {"job": int(os.environ["SLURM_JOB_ID"])}, "text_feedback": "ran on Slurm"}, handle)
        """;

    private readonly TempFolder _folder = new();
    private readonly string _jobName = SlurmCluster.NewJobName();

    public SlurmEvaluationTests(SlurmCluster cluster)
    {
        cluster.Require();
    }

    public void Dispose()
    {
        SlurmCluster.CancelAll(_jobName);
        _folder.Dispose();
    }

    [Fact]
    public async Task The_shinka_evaluator_scores_candidates_through_slurm_jobs()
    {
        var evaluator = Evaluators.Shinka(_folder.Write("task/evaluate.py", EvaluateScript));
        var backend = new SlurmBackend(SlurmCluster.Options(_folder, _jobName));
        EvaluationRequest Request(int id, string code) => new()
        {
            CandidateId = id,
            Code = code,
            Language = ProgramLanguage.Python,
            WorkingDirectory = _folder.Folder($"candidate-{id}"),
            Backend = backend,
            Timeout = TimeSpan.FromMinutes(2),
        };

        var results = await Task.WhenAll(
            evaluator.EvaluateAsync(Request(1, "def solve():\n    return 2.5\n")).AsTask(),
            evaluator.EvaluateAsync(Request(2, "def solve():\n    raise ValueError('broken candidate')\n")).AsTask());

        var good = results[0];
        Assert.True(good.IsSuccess, good.Error + good.TextFeedback);
        Assert.Equal(2.5, good.Score);
        Assert.True(good.Correct);
        Assert.Equal("ran on Slurm", good.TextFeedback);
        Assert.True(good.PublicMetrics["job"] > 0);

        var bad = results[1];
        Assert.Equal(EvaluationStatus.Crashed, bad.Status);
        Assert.Equal("the evaluator exited with code 1", bad.Error);
        Assert.Contains("broken candidate", bad.TextFeedback);
    }
}
