using System.Collections.Concurrent;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Slurm;

/// <summary>
/// How the backend decides what became of a job, driven step by step through fake Slurm commands: the states and
/// records the real cluster produces only in races (a program killed by SIGTERM before its script's trap ran, a job
/// the queue forgot, a failed node, a controller that does not answer).
/// </summary>
public sealed class SlurmJobMonitorTests : IDisposable
{
    private readonly FakeSlurm _slurm = new();
    private readonly ConcurrentQueue<SlurmJobFailureArguments> _failures = new();

    public void Dispose() => _slurm.Dispose();

    private SlurmBackend Backend(Action<SlurmBackendOptions>? change = null)
    {
        var options = _slurm.Options();
        options.OnJobFailure = arguments =>
        {
            _failures.Enqueue(arguments);
            return ValueTask.CompletedTask;
        };
        change?.Invoke(options);
        return new SlurmBackend(options);
    }

    [Fact]
    public async Task A_signal_exit_code_of_a_job_Slurm_reports_cancelled_is_a_lost_job()
    {
        // scancel signals the script and its program together; when the program dies first, the script records 143.
        _slurm.Queue("100|RUNNING|None");
        var run = Backend().RunAsync(_slurm.Request());
        var script = await _slurm.SubmittedAsync(1);

        FakeSlurm.Record(script, "exit 143");
        await Processes.WaitUntilAsync(() => _slurm.Log("squeue").Count >= 3, "the backend to see the record while the job runs");
        _slurm.Queue("100|CANCELLED|None");
        var outcome = await run;

        Assert.NotNull(outcome.StartError);
        Assert.StartsWith("Slurm job 100 was cancelled outside the backend", outcome.StartError);
        Assert.Contains("its program ended with code 143", outcome.StartError);
        Assert.Equal(SlurmJobFailure.Lost, Assert.Single(_failures).Failure);
    }

    [Fact]
    public async Task A_signal_exit_code_of_a_job_that_ended_on_its_own_is_the_programs()
    {
        _slurm.Queue("100|RUNNING|None");
        var run = Backend().RunAsync(_slurm.Request());
        var script = await _slurm.SubmittedAsync(1);

        FakeSlurm.Record(script, "exit 143");
        _slurm.Queue("100|FAILED|NonZeroExitCode");
        var outcome = await run;

        Assert.Null(outcome.StartError);
        Assert.Equal(143, outcome.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(1.5), outcome.Duration);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task A_job_that_leaves_the_queue_without_an_exit_record_is_lost_after_the_grace()
    {
        _slurm.Queue("100|RUNNING|None");
        var run = Backend().RunAsync(_slurm.Request());
        var script = await _slurm.SubmittedAsync(1);

        FakeSlurm.Record(script, record: string.Empty);
        _slurm.Queue();
        var outcome = await run;

        Assert.Equal("Slurm job 100 left the queue without writing its exit code [Lost, attempt 1 of 1]", outcome.StartError);
        Assert.Contains(_slurm.Log("sacct"), line => line.Contains("--jobs=100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Accounting_names_what_became_of_a_job_the_queue_forgot_and_the_policy_retries_it()
    {
        _slurm.Queue("100|RUNNING|None");
        _slurm.Sacct("100|NODE_FAIL\n");
        var run = Backend(options => options.Retry.MaxAttempts = 2).RunAsync(_slurm.Request());
        var first = await _slurm.SubmittedAsync(1);

        _slurm.Queue("101|PENDING|None");
        var second = await _slurm.SubmittedAsync(2);
        FakeSlurm.Record(second, "exit 0");
        _slurm.Queue("101|COMPLETED|None");
        var outcome = await run;

        Assert.NotEqual(first, second);
        Assert.True(outcome.Succeeded, outcome.StartError);
        var failure = Assert.Single(_failures);
        Assert.Equal("100", failure.JobId);
        Assert.Equal(SlurmJobFailure.NodeFailure, failure.Failure);
        Assert.Equal("Slurm job 100 was stopped because its node failed", failure.Reason);
        Assert.True(failure.WillRetry);
    }

    [Theory]
    [InlineData("NODE_FAIL", SlurmJobFailure.NodeFailure, "was stopped because its node failed")]
    [InlineData("PREEMPTED", SlurmJobFailure.Preempted, "was preempted")]
    [InlineData("OUT_OF_MEMORY", SlurmJobFailure.OutOfMemory, "was stopped by Slurm for using more memory than it was given")]
    [InlineData("TIMEOUT", SlurmJobFailure.TimeLimit, "reached its Slurm time limit")]
    public async Task A_failure_state_is_reported_at_once_with_what_Slurm_says(string state, SlurmJobFailure failure, string text)
    {
        _slurm.Queue("100|RUNNING|None");
        var run = Backend().RunAsync(_slurm.Request());
        var script = await _slurm.SubmittedAsync(1);

        FakeSlurm.Record(script, "signal TERM");
        _slurm.Scontrol($"JobId=100 JobName=genesis\n   JobState={state} Reason=NodeDown Dependency=(null)\n   ExitCode=0:15\n");
        _slurm.Queue($"100|{state}|NodeDown");
        var outcome = await run;

        Assert.Equal(
            $"Slurm job 100 {text} (reason NodeDown; scontrol: JobState={state} Reason=NodeDown ExitCode=0:15; its script got SIGTERM) [{failure}, attempt 1 of 1]",
            outcome.StartError);
        Assert.Equal(failure, Assert.Single(_failures).Failure);
        Assert.Empty(_slurm.Log("sacct"));
    }

    [Fact]
    public async Task Exit_records_end_jobs_while_squeue_does_not_answer()
    {
        _slurm.SqueueFails("slurm_load_jobs error: Unable to contact slurm controller (connect failure)");
        var run = Backend().RunAsync(_slurm.Request());
        var script = await _slurm.SubmittedAsync(1);

        FakeSlurm.Record(script, "exit 7");
        var outcome = await run;

        Assert.Equal(7, outcome.ExitCode);
        Assert.Null(outcome.StartError);
    }

    [Fact]
    public async Task A_refused_submission_is_retried_only_when_the_policy_says_so()
    {
        _slurm.SbatchFails("sbatch: error: Batch job submission failed: Socket timed out on send/recv operation");
        var backend = Backend(options => options.Retry = new SlurmRetryPolicy { MaxAttempts = 3, RetryOn = SlurmJobFailure.SubmitFailed, Delay = TimeSpan.Zero });

        var outcome = await backend.RunAsync(_slurm.Request());

        Assert.Equal(3, _slurm.Log("sbatch").Count);
        Assert.NotNull(outcome.StartError);
        Assert.StartsWith("sbatch failed: sbatch: error: Batch job submission failed: Socket timed out on send/recv operation [SubmitFailed, attempt 3 of 3]; earlier: attempt 1: sbatch failed:", outcome.StartError);
        Assert.Equal([true, true, false], _failures.Select(failure => failure.WillRetry));
    }

    [Fact]
    public async Task One_squeue_call_per_poll_asks_about_every_job_in_flight()
    {
        _slurm.Queue("100|RUNNING|None", "101|RUNNING|None", "102|RUNNING|None");
        var backend = Backend();
        var runs = Enumerable.Range(0, 3).Select(_ => backend.RunAsync(_slurm.Request())).ToArray();
        var scripts = await Task.WhenAll(Enumerable.Range(1, 3).Select(_slurm.SubmittedAsync));

        await Processes.WaitUntilAsync(() => _slurm.Log("squeue").Any(line => line.Contains("--jobs=", StringComparison.Ordinal) && JobsAsked(line).Count == 3), "a poll that asks about all three jobs");
        foreach (var script in scripts)
        {
            FakeSlurm.Record(script, "exit 0");
        }

        _slurm.Queue("100|COMPLETED|None", "101|COMPLETED|None", "102|COMPLETED|None");
        await Task.WhenAll(runs);

        Assert.All(_slurm.Log("squeue"), line => Assert.Equal(1, line.Split(' ').Count(argument => argument.StartsWith("--jobs=", StringComparison.Ordinal))));
        Assert.Contains(_slurm.Log("squeue"), line => JobsAsked(line).SetEquals(["100", "101", "102"]));
    }

    [Fact]
    public async Task Sbatch_gets_the_resources_limits_and_extra_arguments()
    {
        _slurm.Queue("100|RUNNING|None");
        var backend = Backend(options =>
        {
            options.Partition = "gpu";
            options.CpusPerTask = 2;
            options.MemoryPerTaskMegabytes = 512;
            options.JobName = "evolve";
            options.ExtraSbatchArguments = ["--qos=short", "--gres=gpu:1"];
        });
        var run = backend.RunAsync(_slurm.Request() with { Timeout = TimeSpan.FromSeconds(90) });
        var script = await _slurm.SubmittedAsync(1);
        FakeSlurm.Record(script, "exit 0");
        _slurm.Queue("100|COMPLETED|None");
        await run;

        var arguments = Assert.Single(_slurm.Log("sbatch")).Split(' ');
        Assert.Equal(
            ["--parsable", "--job-name=evolve", "--export=ALL", "--no-requeue", "--nodes=1", "--ntasks=1", "--cpus-per-task=2", "--mem=512M", "--partition=gpu", "--time=3", "--qos=short", "--gres=gpu:1", script],
            arguments.Where(argument => !argument.StartsWith("--chdir=", StringComparison.Ordinal) && !argument.StartsWith("--output=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_batch_is_one_sbatch_array_whose_tasks_report_on_their_own()
    {
        _slurm.Queue("100_0|RUNNING|None", "100_1|RUNNING|None", "100_2|PENDING|None");
        var backend = Backend(options => options.TimeLimit = TimeSpan.FromMinutes(10));
        var batch = backend.SubmitBatchAsync([_slurm.Request(), _slurm.Request(), _slurm.Request()]);
        var launcher = await _slurm.SubmittedAsync(1);
        await Processes.WaitUntilAsync(
            () => _slurm.Log("squeue").Any(line => line.Contains("--jobs=100 ", StringComparison.Ordinal) && line.Contains("--array", StringComparison.Ordinal)),
            "a poll asking squeue about the array, one line per task");

        for (var task = 0; task < 3; task++)
        {
            FakeSlurm.Record(launcher, $"exit {task + 3}", task);
        }

        _slurm.Queue("100_0|COMPLETED|None", "100_1|FAILED|NonZeroExitCode", "100_2|FAILED|NonZeroExitCode");
        var outcomes = await batch;

        Assert.Equal([3, 4, 5], outcomes.Select(outcome => outcome.ExitCode));
        var arguments = Assert.Single(_slurm.Log("sbatch")).Split(' ');
        Assert.Contains("--array=0-2", arguments);
        Assert.Contains("--time=10", arguments);
        Assert.EndsWith("array.sh", launcher, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_jobs_folder_is_deleted_once_the_job_left_the_queue_unless_kept()
    {
        _slurm.Queue("100|RUNNING|None", "101|RUNNING|None");
        var deleting = Backend();
        var keeping = Backend(options => options.KeepJobFiles = true);

        var first = deleting.RunAsync(_slurm.Request());
        var deleted = await _slurm.SubmittedAsync(1);
        var second = keeping.RunAsync(_slurm.Request());
        var kept = await _slurm.SubmittedAsync(2);
        FakeSlurm.Record(deleted, "exit 0");
        FakeSlurm.Record(kept, "exit 0");
        _slurm.Queue("100|COMPLETED|None", "101|COMPLETED|None");
        await Task.WhenAll(first, second);

        await Processes.WaitUntilAsync(() => !Directory.Exists(Path.GetDirectoryName(deleted)), "the job's folder to be deleted");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(kept)!, "exit")));
    }

    private static HashSet<string> JobsAsked(string squeueArguments) =>
        squeueArguments.Split(' ').Where(argument => argument.StartsWith("--jobs=", StringComparison.Ordinal))
            .SelectMany(argument => argument["--jobs=".Length..].Split(','))
            .ToHashSet();
}
