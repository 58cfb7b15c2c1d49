using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// Runs processes as Slurm batch jobs: each request becomes a job (or a task of a job array) whose bash script runs the
/// program in the request's working folder and records its output and exit code in a folder under
/// <see cref="SlurmBackendOptions.RunFolder"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shared folders.</b> The run folder and every request's <see cref="ProcessRequest.WorkingDirectory"/> must be
/// visible at the same paths on the compute nodes (a shared file system), as the programs and their interpreters must
/// be installed there. The job's environment is the host's minus secrets (see
/// <see cref="SlurmBackendOptions.InheritedVariables"/>), passed by <c>sbatch --export=ALL</c>, plus Slurm's own
/// <c>SLURM_*</c> variables and the request's <see cref="ProcessRequest.Environment"/>.
/// </para>
/// <para>
/// <b>Following jobs.</b> One poll per <see cref="SlurmBackendOptions.PollInterval"/> reads each job's files and makes
/// ONE <c>squeue</c> call for all jobs in flight. The exit code comes from a file that the job script's own
/// <c>EXIT</c> trap writes, so it is known without Slurm's accounting. A job that Slurm reports failed
/// (<c>NODE_FAIL</c>, <c>PREEMPTED</c>, <c>TIMEOUT</c>, <c>OUT_OF_MEMORY</c>, <c>CANCELLED</c> by someone else) or that
/// leaves the queue without an exit code within <see cref="SlurmBackendOptions.LostJobGrace"/> is a
/// <see cref="SlurmJobFailure"/>; <c>scontrol show job</c>, and <c>sacct</c> when the queue forgot the job, add what
/// Slurm knows. Such a job is reported to <see cref="SlurmBackendOptions.OnJobFailure"/>, retried per
/// <see cref="SlurmBackendOptions.Retry"/>, and when no attempt is left the request's outcome carries the reason in
/// <see cref="ProcessOutcome.StartError"/> (one clause per attempt), with whatever output the last job wrote. Jobs are
/// submitted with <c>--no-requeue</c>: retries are the backend's, in new jobs.
/// </para>
/// <para>
/// <b>Timeouts and cancellation.</b> A request's <see cref="ProcessRequest.Timeout"/> runs from the moment its job
/// starts (time waiting in the queue does not count); when it passes, the job is cancelled with <c>scancel</c> and the
/// outcome is <see cref="ProcessOutcome.TimedOut"/>. Cancelling the token cancels the job with <c>scancel</c> and
/// throws <see cref="OperationCanceledException"/>. Slurm's own limit (<see cref="SlurmBackendOptions.TimeLimit"/>)
/// is a backstop a minute later.
/// </para>
/// <para>
/// <b>Slots and batches.</b> At most <see cref="MaxParallelism"/> jobs are in flight: a slot is taken before a job is
/// submitted and given back when Slurm no longer holds the job (it left <c>squeue</c>'s pending, running and
/// completing states), not merely when its outcome is known. <see cref="RunAsync"/> gathers the requests that arrive
/// within <see cref="SlurmBackendOptions.BatchWindow"/> into one job array (<c>sbatch --array=0-N</c>, task <c>i</c>
/// runs request <c>i</c>); <see cref="SubmitBatchAsync"/> submits a list as arrays directly, as large as the free
/// slots allow.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The SemaphoreSlim never allocates its wait handle and the batch timer is disposed when it fires; a backend lives as long as the runs that share it.")]
public sealed class SlurmBackend : IExecutionBackend, IPreflightCheck
{
    private readonly SlurmBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly SlurmCli _cli;
    private readonly SlurmJobMonitor _monitor;
    private readonly SemaphoreSlim _slots;
    private readonly object _batchGate = new();
    private List<PendingSubmission> _pending = [];
    private ITimer? _batchTimer;

    /// <summary>Creates a backend with the default options.</summary>
    public SlurmBackend()
        : this(new SlurmBackendOptions())
    {
    }

    /// <summary>Creates a backend; <paramref name="options"/> are validated and copied. Nothing runs until the first request (call <see cref="ProbeAsync"/> to check the cluster first).</summary>
    /// <param name="options">The options; later changes to this instance have no effect on the backend.</param>
    /// <exception cref="ArgumentException">An option is out of range or missing; the message names it.</exception>
    public SlurmBackend(SlurmBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _time = _options.TimeProvider;
        _cli = new SlurmCli(_options.SlurmBinDirectory, _options.CommandTimeout, _options.InheritedVariables, _time);
        _monitor = new SlurmJobMonitor(_cli, _options);
        _slots = new SemaphoreSlim(_options.MaxParallelism, _options.MaxParallelism);
    }

    /// <summary>How many jobs may be in flight at once (submitted and still held by Slurm).</summary>
    public int MaxParallelism => _options.MaxParallelism;

    /// <summary>The folder that holds the jobs' scripts and outputs, in full.</summary>
    public string RunFolder => _options.RunFolder!;

    /// <summary>
    /// Checks that Slurm can be used: <c>sbatch</c>, <c>squeue</c>, <c>scancel</c> and <c>sinfo</c> are installed, the
    /// controller answers <c>sinfo</c>, the configured partition exists, and the run folder can be created.
    /// </summary>
    /// <exception cref="ToolchainNotFoundException">A Slurm command is missing, for example "sbatch was not found on PATH: install Slurm or use Backends.Local()".</exception>
    /// <exception cref="InvalidOperationException">The controller does not answer, the partition does not exist, or the run folder cannot be created.</exception>
    public async ValueTask<SlurmClusterInfo> ProbeAsync(CancellationToken cancellationToken = default)
    {
        foreach (var command in (ReadOnlySpan<string>)["sbatch", "squeue", "scancel", "sinfo"])
        {
            if (_cli.Locate(command) is null)
            {
                throw new ToolchainNotFoundException($"{command} was not found {_cli.Where}: install Slurm or use Backends.Local()");
            }
        }

        var version = await _cli.RunAsync("sinfo", ["--version"], cancellationToken).ConfigureAwait(false);
        string[] arguments = _options.Partition is null
            ? ["--noheader", "--format=%P|%a|%D|%T"]
            : ["--noheader", "--format=%P|%a|%D|%T", $"--partition={_options.Partition}"];
        var partitions = await _cli.RunAsync("sinfo", arguments, cancellationToken).ConfigureAwait(false);
        if (!partitions.Succeeded)
        {
            throw new InvalidOperationException(
                $"The Slurm controller did not answer: sinfo failed ({partitions.Message}). Start slurmctld (scripts/setup/slurm.sh starts a one-node cluster as root) or use Backends.Local().");
        }

        var lines = partitions.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (_options.Partition is not null && lines.Length == 0)
        {
            throw new InvalidOperationException($"SlurmBackendOptions.Partition '{_options.Partition}' is not a partition of this cluster (sinfo does not list it).");
        }

        try
        {
            Directory.CreateDirectory(RunFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"SlurmBackendOptions.RunFolder cannot be created: {RunFolder}: {e.Message}", e);
        }

        return new SlurmClusterInfo(version.Succeeded ? version.Output.Trim() : "unknown", lines);
    }

    /// <inheritdoc />
    /// <exception cref="ToolchainNotFoundException">A Slurm command is missing.</exception>
    /// <exception cref="InvalidOperationException">The controller does not answer, the partition does not exist, or the run folder cannot be created.</exception>
    public async ValueTask CheckAsync(CancellationToken cancellationToken = default) =>
        await ProbeAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>
    /// The request waits for a slot, then for the batch window (it may share a job array with other requests), then for
    /// its job. Failures of the job (lost, node failure, ...) are retried per the policy and, in the end, reported in
    /// <see cref="ProcessOutcome.StartError"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The request is malformed; the message names the field.</exception>
    /// <exception cref="DirectoryNotFoundException">The request's working folder does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the job was cancelled with <c>scancel</c> first.</exception>
    public async Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        ProcessRequestValidation.Validate(request);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Submitted first;
        if (_options.BatchWindow > TimeSpan.Zero)
        {
            first = await EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            first = (await SubmitAsync([request], attempt: 1).ConfigureAwait(false))[0];
        }

        return await RunWithRetriesAsync(request, first, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="requests"/> as job arrays, task <c>i</c> of an array running one request, and returns their
    /// outcomes in the same order. Each array holds as many requests as there are free slots (at least one: the call
    /// waits for it), so a list longer than <see cref="MaxParallelism"/> goes as several arrays. Failed tasks are retried
    /// per the policy as single jobs.
    /// </summary>
    /// <param name="requests">What to run; may be empty.</param>
    /// <param name="cancellationToken">Cancels every job of the batch with <c>scancel</c> and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">A request is malformed; the message names the field.</exception>
    /// <exception cref="DirectoryNotFoundException">A request's working folder does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<ProcessOutcome>> SubmitBatchAsync(IReadOnlyList<ProcessRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            ProcessRequestValidation.Validate(request);
        }

        var runs = new List<Task<ProcessOutcome>>(requests.Count);
        try
        {
            var next = 0;
            while (next < requests.Count)
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var count = 1;
                while (next + count < requests.Count && _slots.Wait(0, CancellationToken.None))
                {
                    count++;
                }

                var chunk = requests.Skip(next).Take(count).ToArray();
                var submitted = await SubmitAsync(chunk, attempt: 1).ConfigureAwait(false);
                for (var i = 0; i < chunk.Length; i++)
                {
                    runs.Add(RunWithRetriesAsync(chunk[i], submitted[i], cancellationToken));
                }

                next += count;
            }
        }
        catch (OperationCanceledException)
        {
            // Stop submitting; the runs already submitted see the same token and cancel their jobs.
            await Task.WhenAll(runs.Select(run => run.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }

        return await Task.WhenAll(runs).ConfigureAwait(false);
    }

    // ---- Batch window ------------------------------------------------------------------------------------------

    private Task<Submitted> EnqueueAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        var pending = new PendingSubmission(request);
        lock (_batchGate)
        {
            _pending.Add(pending);
            if (_pending.Count >= _options.MaxParallelism)
            {
                // Every slot waits in this batch: nothing else can join it.
                FlushLocked();
            }
            else if (_pending.Count == 1)
            {
                // A timer left from a batch whose requests were all cancelled must not cut this one short.
                _batchTimer?.Dispose();
                _batchTimer = _time.CreateTimer(static state => ((SlurmBackend)state!).Flush(), this, _options.BatchWindow, Timeout.InfiniteTimeSpan);
            }
        }

        if (cancellationToken.CanBeCanceled && !pending.Completion.Task.IsCompleted)
        {
            pending.Registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (backend, item) = ((SlurmBackend, PendingSubmission))state!;
                    bool removed;
                    lock (backend._batchGate)
                    {
                        removed = backend._pending.Remove(item);
                    }

                    if (removed)
                    {
                        // Never submitted: give the slot back.
                        backend._slots.Release();
                        item.Completion.TrySetCanceled(token);
                    }
                },
                (this, pending));
        }

        return pending.Completion.Task;
    }

    private void Flush()
    {
        lock (_batchGate)
        {
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        _batchTimer?.Dispose();
        _batchTimer = null;
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending;
        _pending = [];
        _ = Task.Run(async () =>
        {
            // SubmitAsync reports every failure as data, so each waiting request gets its answer.
            var submitted = await SubmitAsync(batch.Select(item => item.Request).ToArray(), attempt: 1).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Registration.Dispose();
                batch[i].Completion.TrySetResult(submitted[i]);
            }
        });
    }

    // ---- Submission --------------------------------------------------------------------------------------------

    /// <summary>
    /// Submits <paramref name="requests"/>, each holding a slot already, as one job (one request) or one job array; a
    /// request that could not be submitted gives its slot back at once. Never throws: a failure is a <see cref="Submitted"/> with its reason.
    /// </summary>
    private async Task<IReadOnlyList<Submitted>> SubmitAsync(IReadOnlyList<ProcessRequest> requests, int attempt)
    {
        var key = $"{_time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..32];
        var topFolder = Path.Combine(RunFolder, key);
        var single = requests.Count == 1;
        var folders = new string[requests.Count];
        var wrapped = new ProcessRequest?[requests.Count];
        string script;
        try
        {
            Directory.CreateDirectory(topFolder);
            for (var i = 0; i < requests.Count; i++)
            {
                folders[i] = single ? topFolder : Directory.CreateDirectory(Path.Combine(topFolder, i.ToString(CultureInfo.InvariantCulture))).FullName;
                var request = requests[i] with { WorkingDirectory = Path.GetFullPath(requests[i].WorkingDirectory) };
                wrapped[i] = _options.Sandbox?.Wrap(request);
                SlurmJobScript.WriteTask(folders[i], wrapped[i] ?? request, attempt);
            }

            script = single ? Path.Combine(topFolder, SlurmJobScript.TaskScript) : SlurmJobScript.WriteArray(topFolder, requests.Count);
        }
        catch (Exception e)
        {
            // A folder that cannot be written, or a sandbox that refuses the request: the job cannot be submitted.
            SlurmJobFiles.TryDelete(topFolder);
            return Fail($"the job could not be prepared in {topFolder}: {e.Message}");
        }

        var arguments = new List<string>
        {
            "--parsable",
            $"--job-name={_options.JobName}",
            $"--chdir={topFolder}",
            single
                ? $"--output={SlurmJobScript.EscapeOutputPattern(Path.Combine(topFolder, SlurmJobScript.SlurmLogFile))}"
                : $"--output={SlurmJobScript.EscapeOutputPattern(topFolder)}/%a/{SlurmJobScript.SlurmLogFile}",
            "--export=ALL",
            "--no-requeue",
            "--nodes=1",
            "--ntasks=1",
            $"--cpus-per-task={_options.CpusPerTask}",
        };
        if (_options.MemoryPerTaskMegabytes is { } memory)
        {
            arguments.Add($"--mem={memory}M");
        }

        if (_options.Partition is not null)
        {
            arguments.Add($"--partition={_options.Partition}");
        }

        if (TimeLimitMinutes(requests) is { } minutes)
        {
            arguments.Add($"--time={minutes}");
        }

        if (!single)
        {
            arguments.Add($"--array=0-{requests.Count - 1}");
        }

        arguments.AddRange(_options.ExtraSbatchArguments);
        arguments.Add(script);

        var result = await _cli.RunAsync("sbatch", arguments, CancellationToken.None).ConfigureAwait(false);
        var jobId = result.Succeeded ? result.Output.Trim().Split('\n')[0].Split(';')[0].Trim() : string.Empty;
        if (!result.Succeeded || jobId.Length == 0 || !jobId.All(char.IsAsciiDigit))
        {
            SlurmJobFiles.TryDelete(topFolder);
            return Fail($"sbatch failed: {result.Message}");
        }

        var group = new SlurmJobGroup(single ? null : topFolder, requests.Count, _options.KeepJobFiles);
        var submitted = new Submitted[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var run = wrapped[i];
            var job = new SlurmJob(single ? jobId : $"{jobId}_{i}", folders[i], attempt, group, _options.KeepJobFiles, () =>
            {
                ReleaseSandbox(run);
                _slots.Release();
            });
            _monitor.Add(job);
            submitted[i] = new Submitted(job, null);
        }

        return submitted;

        Submitted[] Fail(string error)
        {
            foreach (var run in wrapped)
            {
                ReleaseSandbox(run);
            }

            _slots.Release(requests.Count);
            return requests.Select(_ => Submitted.Failed(error)).ToArray();
        }
    }

    /// <summary>Frees what the sandbox holds for a run (its cgroups) once the job is gone from the queue, so its processes are too.</summary>
    private void ReleaseSandbox(ProcessRequest? wrapped)
    {
        if (wrapped is not null && _options.Sandbox is IReleasingSandbox releasing)
        {
            releasing.Release(wrapped);
        }
    }

    /// <summary>The <c>--time</c> in minutes: the option, or the longest timeout rounded up plus a minute; none for an infinite timeout.</summary>
    private long? TimeLimitMinutes(IReadOnlyList<ProcessRequest> requests)
    {
        if (_options.TimeLimit is { } limit)
        {
            return (long)Math.Ceiling(limit.TotalMinutes);
        }

        if (requests.Any(request => request.Timeout == Timeout.InfiniteTimeSpan))
        {
            return null;
        }

        return (long)Math.Ceiling(requests.Max(request => request.Timeout).TotalMinutes) + 1;
    }

    // ---- Following -------------------------------------------------------------------------------------------------

    private async Task<ProcessOutcome> RunWithRetriesAsync(ProcessRequest request, Submitted submitted, CancellationToken cancellationToken)
    {
        var history = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            Attempt result;
            if (submitted.Job is null)
            {
                result = new Attempt(null, SlurmJobFailure.SubmitFailed, submitted.Error!, string.Empty, string.Empty, false);
            }
            else
            {
                result = await FollowAsync(submitted.Job, request, cancellationToken).ConfigureAwait(false);
            }

            if (result.Outcome is not null)
            {
                return result.Outcome;
            }

            var retry = _options.Retry.ShouldRetry(result.Failure, attempt);
            await NotifyAsync(new SlurmJobFailureArguments
            {
                JobId = submitted.Job?.Id ?? string.Empty,
                Request = request,
                Attempt = attempt,
                MaxAttempts = _options.Retry.MaxAttempts,
                Failure = result.Failure,
                Reason = result.Reason,
                WillRetry = retry,
            }).ConfigureAwait(false);

            if (!retry)
            {
                var earlier = history.Count > 0 ? $"; earlier: {string.Join("; ", history)}" : string.Empty;
                return new ProcessOutcome
                {
                    ExitCode = -1,
                    StartError = $"{result.Reason} [{result.Failure}, attempt {attempt} of {_options.Retry.MaxAttempts}]{earlier}",
                    StandardOutput = result.StandardOutput,
                    StandardError = result.StandardError,
                    OutputTruncated = result.Truncated,
                };
            }

            history.Add($"attempt {attempt}: {result.Reason} [{result.Failure}]");
            if (_options.Retry.Delay > TimeSpan.Zero)
            {
                await Task.Delay(_options.Retry.Delay, _time, cancellationToken).ConfigureAwait(false);
            }

            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            submitted = (await SubmitAsync([request], attempt + 1).ConfigureAwait(false))[0];
        }
    }

    private async Task<Attempt> FollowAsync(SlurmJob job, ProcessRequest request, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await Task.WhenAny(job.Ended, job.Started).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!job.Ended.IsCompleted)
                {
                    if (request.Timeout == Timeout.InfiniteTimeSpan)
                    {
                        await job.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var left = request.Timeout - _time.GetElapsedTime(job.StartedAt);
                        await job.Ended.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (TimeoutException)
            {
                if (await CancelJobAsync(job).ConfigureAwait(false))
                {
                    var duration = _time.GetElapsedTime(job.StartedAt);
                    var (output, outputCut) = SlurmJobFiles.ReadCapped(Path.Combine(job.Folder, SlurmJobScript.OutputFile), request.MaxOutputBytes);
                    var (error, errorCut) = SlurmJobFiles.ReadCapped(Path.Combine(job.Folder, SlurmJobScript.ErrorFile), request.MaxOutputBytes);
                    return new Attempt(
                        new ProcessOutcome
                        {
                            ExitCode = -1,
                            TimedOut = true,
                            StandardOutput = output,
                            StandardError = error,
                            OutputTruncated = outputCut || errorCut,
                            Duration = duration,
                        },
                        SlurmJobFailure.None,
                        string.Empty,
                        output,
                        error,
                        outputCut || errorCut);
                }

                // The job ended on its own just as the timeout passed: report how it ended.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CancelJobAsync(job).ConfigureAwait(false);
                throw new OperationCanceledException($"The run was cancelled and Slurm job {job.Id} was cancelled with scancel.", cancellationToken);
            }

            return Collect(job, await job.Ended.ConfigureAwait(false), request);
        }
        finally
        {
            // Whatever happened, this attempt no longer reads the job's folder.
            job.Collected();
        }
    }

    /// <summary>Reads the outcome of an ended job from its folder.</summary>
    private Attempt Collect(SlurmJob job, SlurmJobEnd end, ProcessRequest request)
    {
        var (output, outputCut) = SlurmJobFiles.ReadCapped(Path.Combine(job.Folder, SlurmJobScript.OutputFile), request.MaxOutputBytes);
        var (error, errorCut) = SlurmJobFiles.ReadCapped(Path.Combine(job.Folder, SlurmJobScript.ErrorFile), request.MaxOutputBytes);
        var truncated = outputCut || errorCut;
        if (end.Failure != SlurmJobFailure.None || end.Exit?.ExitCode is not { } exitCode)
        {
            return new Attempt(null, end.Failure, end.Reason ?? $"Slurm job {job.Id} ended without an exit code", output, error, truncated);
        }

        var started = SlurmJobFiles.ReadStarted(job.Folder);
        var duration = started is { } from && from > 0 && end.Exit.EndTime is { } to && to >= from
            ? TimeSpan.FromSeconds(to - from)
            : job.StartedAt != 0 ? _time.GetElapsedTime(job.StartedAt, job.EndedAt) : TimeSpan.Zero;
        var startError = SlurmJobFiles.ReadStartError(job.Folder);
        return new Attempt(
            new ProcessOutcome
            {
                ExitCode = startError is null ? exitCode : -1,
                StartError = startError,
                StandardOutput = output,
                StandardError = error,
                OutputTruncated = truncated,
                Duration = duration,
            },
            SlurmJobFailure.None,
            string.Empty,
            output,
            error,
            truncated);
    }

    /// <summary>Cancels <paramref name="job"/> with scancel unless it already ended; returns whether the backend cancelled it.</summary>
    private async Task<bool> CancelJobAsync(SlurmJob job)
    {
        if (!job.End(SlurmJobEnd.CancelledByBackend, _time.GetTimestamp()))
        {
            return false;
        }

        // The monitor keeps following the job until it leaves the queue, and only then frees its slot.
        await _cli.RunAsync("scancel", [job.Id], CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private async Task NotifyAsync(SlurmJobFailureArguments arguments)
    {
        if (_options.OnJobFailure is not { } callback)
        {
            return;
        }

        try
        {
            await callback(arguments).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A recording callback must not change how the run goes.
        }
    }

    /// <summary>A submitted job, or why submitting failed.</summary>
    private sealed record Submitted(SlurmJob? Job, string? Error)
    {
        public static Submitted Failed(string error) => new(null, error);
    }

    /// <summary>How one attempt went: an outcome to return, or a failure with the output the job left.</summary>
    private sealed record Attempt(ProcessOutcome? Outcome, SlurmJobFailure Failure, string Reason, string StandardOutput, string StandardError, bool Truncated);

    private sealed class PendingSubmission(ProcessRequest request)
    {
        public ProcessRequest Request { get; } = request;

        public TaskCompletionSource<Submitted> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
