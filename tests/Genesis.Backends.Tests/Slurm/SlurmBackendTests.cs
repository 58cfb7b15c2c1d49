using System.Collections.Concurrent;
using Genesis.Execution.Tests.Support;
using Xunit.Abstractions;

namespace Genesis.Execution.Tests.Slurm;

/// <summary>The Slurm backend against the real one-node cluster that scripts/setup/slurm.sh starts.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmBackendTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _jobName = SlurmCluster.NewJobName();
    private readonly ITestOutputHelper _output;

    public SlurmBackendTests(SlurmCluster cluster, ITestOutputHelper output)
    {
        cluster.Require();
        _output = output;
    }

    public void Dispose()
    {
        SlurmCluster.CancelAll(_jobName);
        _folder.Dispose();
    }

    private SlurmBackendOptions Options() => SlurmCluster.Options(_folder, _jobName);

    private ProcessRequest Shell(string script, string? folder = null) => new()
    {
        FileName = "sh",
        Arguments = ["-c", script],
        WorkingDirectory = folder ?? _folder.Path,
        Timeout = TimeSpan.FromMinutes(2),
    };

    [Fact]
    public async Task A_job_returns_its_output_and_exit_code()
    {
        var backend = new SlurmBackend(Options());

        var outcome = await backend.RunAsync(Shell("echo out; echo err >&2; pwd"));

        Assert.True(outcome.Succeeded, outcome.StartError);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"out\n{_folder.Path}\n", outcome.StandardOutput);
        Assert.Equal("err\n", outcome.StandardError);
        Assert.False(outcome.TimedOut);
        Assert.False(outcome.OutputTruncated);
        Assert.Null(outcome.StartError);
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_non_zero_exit_is_the_programs_outcome_not_a_job_failure()
    {
        var failures = new ConcurrentQueue<SlurmJobFailureArguments>();
        var options = Options();
        options.OnJobFailure = arguments =>
        {
            failures.Enqueue(arguments);
            return ValueTask.CompletedTask;
        };

        var outcome = await new SlurmBackend(options).RunAsync(Shell("echo partial; exit 3"));

        Assert.Equal(3, outcome.ExitCode);
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StartError);
        Assert.Equal("partial\n", outcome.StandardOutput);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Arguments_environment_and_input_reach_the_program_and_host_secrets_do_not()
    {
        Environment.SetEnvironmentVariable("GENESIS_SLURM_TEST_API_KEY", "host-secret");
        var request = new ProcessRequest
        {
            FileName = "python3",
            Arguments =
            [
                "-c",
                "import os, sys, json; print(json.dumps([sys.argv[1:], os.environ.get('GREETING'), os.environ.get('dotted.name'), "
                    + "os.environ.get('GENESIS_SLURM_TEST_API_KEY'), os.environ.get('HOME'), sys.stdin.read(), os.environ.get('SLURM_JOB_ID') is not None]))",
                "a b", "$HOME", "it's", "*",
            ],
            WorkingDirectory = _folder.Path,
            Environment = new Dictionary<string, string?> { ["GREETING"] = "hello 'quoted' $world", ["dotted.name"] = "dots", ["HOME"] = null },
            StandardInput = "line one\nline two\n",
        };

        var outcome = await new SlurmBackend(Options()).RunAsync(request);

        Assert.True(outcome.Succeeded, outcome.StartError + outcome.StandardError);
        Assert.Equal(
            """[["a b", "$HOME", "it's", "*"], "hello 'quoted' $world", "dots", null, null, "line one\nline two\n", true]""",
            outcome.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_missing_program_is_a_start_error()
    {
        var outcome = await new SlurmBackend(Options()).RunAsync(Shell("unused") with { FileName = "genesis-no-such-program" });

        Assert.False(outcome.Succeeded);
        Assert.NotNull(outcome.StartError);
        Assert.Contains("program 'genesis-no-such-program' was not found on PATH", outcome.StartError);
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_discarded_and_flagged()
    {
        var outcome = await new SlurmBackend(Options()).RunAsync(Shell("printf 0123456789abcdef; printf ERR >&2") with { MaxOutputBytes = 10 });

        Assert.True(outcome.Succeeded);
        Assert.Equal("0123456789", outcome.StandardOutput);
        Assert.Equal("ERR", outcome.StandardError);
        Assert.True(outcome.OutputTruncated);
    }

    [Fact]
    public async Task A_job_past_its_timeout_is_cancelled_and_reported_timed_out()
    {
        var backend = new SlurmBackend(Options());

        var outcome = await backend.RunAsync(Shell("exec sleep 300") with { Timeout = TimeSpan.FromSeconds(1) });

        Assert.True(outcome.TimedOut);
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StartError);
        await Processes.WaitUntilAsync(() => SlurmCluster.JobsNamed(_jobName).Count == 0, "the timed-out job to leave the queue");
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_job_with_scancel()
    {
        var backend = new SlurmBackend(Options());
        using var cancellation = new CancellationTokenSource();
        var marker = _folder.File("running");

        var run = backend.RunAsync(Shell($"touch '{marker}'; exec sleep 300"), cancellation.Token);
        await Processes.WaitUntilAsync(() => File.Exists(marker), "the job to start");
        Assert.Single(SlurmCluster.JobsNamed(_jobName));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Processes.WaitUntilAsync(() => SlurmCluster.JobsNamed(_jobName).Count == 0, "the cancelled job to leave the queue");
    }

    [Fact]
    public async Task Jobs_in_flight_never_exceed_MaxParallelism()
    {
        var options = Options();
        options.MaxParallelism = 2;
        var backend = new SlurmBackend(options);
        var most = 0;
        var samples = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var count = SlurmCluster.JobsNamed(_jobName).Count;
                most = Math.Max(most, count);
                if (count > 0)
                {
                    samples++;
                }

                await Task.Delay(25);
            }
        });

        // Each job records when it ran, on the node's clock; the cluster has room for more than two at once only in the queue.
        var runs = Enumerable.Range(0, 5)
            .Select(i => backend.RunAsync(Shell($"echo start $(date +%s%N) > span-{i}; sleep 1; echo end $(date +%s%N) >> span-{i}")))
            .ToArray();
        var outcomes = await Task.WhenAll(runs);
        await stop.CancelAsync();
        await sampler;
        _output.WriteLine($"squeue showed at most {most} jobs of the test in {samples} samples with jobs");

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, outcome.StartError));
        Assert.Equal(2, backend.MaxParallelism);
        Assert.True(samples > 0, "squeue never showed a job of the test");
        Assert.InRange(most, 1, 2);
        var spans = Enumerable.Range(0, 5).Select(i => File.ReadAllLines(_folder.File($"span-{i}")).Select(line => long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        foreach (var span in spans)
        {
            var overlapping = spans.Count(other => other[0] < span[1] && span[0] < other[1]);
            Assert.InRange(overlapping, 1, 2);
        }
    }

    [Fact]
    public async Task A_batch_runs_as_one_job_array_with_each_requests_own_output()
    {
        var options = Options();
        options.MaxParallelism = 5;
        var backend = new SlurmBackend(options);
        var requests = Enumerable.Range(0, 5)
            .Select(i => Shell($"echo \"$SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID task-{i}\"; echo err-{i} >&2; exit {i}", _folder.Folder($"work-{i}")))
            .ToArray();

        var outcomes = await backend.SubmitBatchAsync(requests);

        Assert.Equal(5, outcomes.Count);
        var arrays = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(outcomes[i].StartError);
            Assert.Equal(i, outcomes[i].ExitCode);
            Assert.Equal($"err-{i}\n", outcomes[i].StandardError);
            var fields = outcomes[i].StandardOutput.Trim().Split(' ');
            Assert.Equal(3, fields.Length);
            arrays.Add(fields[0]);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[1]);
            Assert.Equal($"task-{i}", fields[2]);
        }

        Assert.Single(arrays);
        Assert.NotEqual(string.Empty, arrays.Single());
    }

    [Fact]
    public async Task RunAsync_gathers_requests_that_arrive_within_the_batch_window_into_one_array()
    {
        var options = Options();
        options.BatchWindow = TimeSpan.FromSeconds(1);
        var backend = new SlurmBackend(options);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => backend.RunAsync(Shell($"echo \"$SLURM_ARRAY_JOB_ID\" {i}"))));

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, outcome.StartError));
        var arrays = outcomes.Select(outcome => outcome.StandardOutput.Trim().Split(' ')).ToArray();
        Assert.Equal(["0", "1", "2"], arrays.Select(fields => fields[1]).Order());
        Assert.Single(arrays.Select(fields => fields[0]).Distinct());
        Assert.NotEqual(string.Empty, arrays[0][0]);
    }

    [Fact]
    public async Task A_job_cancelled_behind_the_backends_back_is_retried_then_reported_lost()
    {
        var failures = new ConcurrentQueue<SlurmJobFailureArguments>();
        var options = Options();
        options.Retry = new SlurmRetryPolicy { MaxAttempts = 2, Delay = TimeSpan.Zero };
        options.OnJobFailure = arguments =>
        {
            failures.Enqueue(arguments);
            return ValueTask.CompletedTask;
        };
        var backend = new SlurmBackend(options);
        var jobs = _folder.File("jobs");

        var run = backend.RunAsync(Shell($"echo \"$SLURM_JOB_ID\" >> '{jobs}'; echo attempt output; exec sleep 300"));
        string[] Started() => File.Exists(jobs) ? File.ReadAllLines(jobs) : [];
        await Processes.WaitUntilAsync(() => Started().Length == 1, "the first job to start");
        SlurmCluster.Cancel(Started()[0]);
        await Processes.WaitUntilAsync(() => Started().Length == 2, "the retry to start");
        SlurmCluster.Cancel(Started()[1]);
        var outcome = await run;

        Assert.True(outcome.StartError is not null && !outcome.TimedOut, $"not a job failure: {outcome}");
        Assert.StartsWith($"Slurm job {Started()[1]} was cancelled outside the backend", outcome.StartError);
        Assert.Contains("[Lost, attempt 2 of 2]", outcome.StartError);
        Assert.Contains($"earlier: attempt 1: Slurm job {Started()[0]} was cancelled outside the backend", outcome.StartError);
        Assert.Equal("attempt output\n", outcome.StandardOutput);
        Assert.Collection(
            failures,
            first =>
            {
                Assert.Equal(Started()[0], first.JobId);
                Assert.Equal(SlurmJobFailure.Lost, first.Failure);
                Assert.Equal(1, first.Attempt);
                Assert.True(first.WillRetry);
            },
            second =>
            {
                Assert.Equal(Started()[1], second.JobId);
                Assert.Equal(SlurmJobFailure.Lost, second.Failure);
                Assert.Equal(2, second.Attempt);
                Assert.False(second.WillRetry);
            });
    }

    [Fact]
    public async Task A_job_that_ends_without_its_exit_record_is_reported_after_the_grace()
    {
        // The program deletes the job's folder, as if the shared file system had lost it: the script's trap cannot
        // write the exit record, Slurm says COMPLETED, and after the grace the backend reports the launch failed.
        var failures = new ConcurrentQueue<SlurmJobFailureArguments>();
        var options = Options();
        options.Retry = new SlurmRetryPolicy { MaxAttempts = 1 };
        options.OnJobFailure = arguments =>
        {
            failures.Enqueue(arguments);
            return ValueTask.CompletedTask;
        };
        var backend = new SlurmBackend(options);

        var outcome = await backend.RunAsync(Shell($"rm -rf -- '{backend.RunFolder}'/*"));

        Assert.NotNull(outcome.StartError);
        Assert.Contains("ended (state COMPLETED) without running its task script to the end", outcome.StartError);
        Assert.Contains("[LaunchFailed, attempt 1 of 1]", outcome.StartError);
        Assert.Equal(SlurmJobFailure.LaunchFailed, Assert.Single(failures).Failure);
    }

    [Fact]
    public async Task A_refused_submission_is_reported_with_sbatchs_message()
    {
        var failures = new ConcurrentQueue<SlurmJobFailureArguments>();
        var options = Options();
        options.Partition = "genesis-no-such-partition";
        options.OnJobFailure = arguments =>
        {
            failures.Enqueue(arguments);
            return ValueTask.CompletedTask;
        };

        var outcome = await new SlurmBackend(options).RunAsync(Shell("true"));

        Assert.NotNull(outcome.StartError);
        Assert.StartsWith("sbatch failed:", outcome.StartError);
        Assert.Contains("partition", outcome.StartError, StringComparison.OrdinalIgnoreCase);
        var failure = Assert.Single(failures);
        Assert.Equal(SlurmJobFailure.SubmitFailed, failure.Failure);
        Assert.False(failure.WillRetry);
    }

    [Fact]
    public async Task The_sandbox_rewrites_every_request_before_it_becomes_a_job()
    {
        var sandbox = new WrappingSandbox();
        var options = Options();
        options.Sandbox = sandbox;

        var outcome = await new SlurmBackend(options).RunAsync(Shell("echo \"inside=$SANDBOXED\""));

        Assert.True(outcome.Succeeded, outcome.StartError);
        Assert.Equal("inside=yes\n", outcome.StandardOutput);
        Assert.Equal(1, sandbox.Calls);
        await Processes.WaitUntilAsync(() => sandbox.Released == 1, "the sandbox's run to be released once the job left the queue");
    }

    [Fact]
    public async Task The_machines_sandbox_confines_the_program_inside_its_job()
    {
        var options = Options();
        options.Sandbox = Sandboxes.Default;
        var work = _folder.Folder("work");
        var outside = _folder.File("outside.txt");

        var outcome = await new SlurmBackend(options).RunAsync(Shell($"echo kept > inside.txt; (echo escaped > '{outside}') 2>/dev/null; true", work));

        // Depending on the mechanism the write outside is refused or lands in a private scratch; either way not on the host.
        Assert.True(outcome.Succeeded, $"{outcome.StartError} {outcome.StandardError} ({Sandboxes.Default.Report})");
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(work, "inside.txt")));
        Assert.False(File.Exists(outside), $"the sandbox ({Sandboxes.Default.Report}) let the job write outside its working folder");
    }

    [Fact]
    public async Task The_probe_reports_the_cluster()
    {
        var info = await new SlurmBackend(Options()).ProbeAsync();

        Assert.StartsWith("slurm", info.Version, StringComparison.Ordinal);
        Assert.NotEmpty(info.Partitions);
    }

    [Fact]
    public async Task The_probe_rejects_a_partition_the_cluster_does_not_have()
    {
        var options = Options();
        options.Partition = "genesis-no-such-partition";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await new SlurmBackend(options).CheckAsync());

        Assert.Equal("SlurmBackendOptions.Partition 'genesis-no-such-partition' is not a partition of this cluster (sinfo does not list it).", error.Message);
    }

    /// <summary>Runs the program through env(1) with one more variable: a sandbox in miniature, which counts its releases.</summary>
    private sealed class WrappingSandbox : ISandbox, IReleasingSandbox
    {
        private int _calls;
        private int _released;

        public int Calls => _calls;

        public int Released => Volatile.Read(ref _released);

        public void Release(ProcessRequest wrapped)
        {
            Assert.Equal("env", wrapped.FileName);
            Interlocked.Increment(ref _released);
        }

        public SandboxReport Report { get; } = new() { Mechanism = "env" };

        public ProcessRequest Wrap(ProcessRequest request)
        {
            Interlocked.Increment(ref _calls);
            return request with { FileName = "env", Arguments = ["SANDBOXED=yes", request.FileName, .. request.Arguments] };
        }
    }
}
