using System.Collections.Concurrent;

namespace Genesis.Execution;

/// <summary>
/// Follows every job in flight with one poll per interval: a look at each job's files (its start and exit records)
/// and ONE <c>squeue</c> call for all of them. A job ends when its exit record appears, when Slurm reports a failure
/// state, or when it has been gone from the queue (or finished there) for the grace period without an exit record; it
/// settles, giving back its slot, when Slurm no longer holds it. The poll loop runs while jobs are followed.
/// </summary>
internal sealed class SlurmJobMonitor
{
    private readonly ConcurrentDictionary<string, SlurmJob> _jobs = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly SlurmCli _cli;
    private readonly SlurmBackendOptions _options;
    private readonly TimeProvider _time;
    private bool _polling;

    public SlurmJobMonitor(SlurmCli cli, SlurmBackendOptions options)
    {
        _cli = cli;
        _options = options;
        _time = options.TimeProvider;
    }

    /// <summary>The jobs followed now (for tests and diagnostics).</summary>
    public int Count => _jobs.Count;

    /// <summary>Starts following <paramref name="job"/>.</summary>
    public void Add(SlurmJob job)
    {
        lock (_gate)
        {
            _jobs[job.Id] = job;
            if (!_polling)
            {
                _polling = true;
                _ = Task.Run(PollLoopAsync);
            }
        }
    }

    /// <summary>Whether a Slurm state means the job is over (as opposed to pending, running, completing or held).</summary>
    internal static bool IsFinished(string state) => state switch
    {
        "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "PREEMPTED" or "OUT_OF_MEMORY" or "BOOT_FAIL"
            or "DEADLINE" or "REVOKED" => true,
        _ => false,
    };

    /// <summary>The failure a finished state without an exit record stands for, with its reason.</summary>
    internal static (SlurmJobFailure Failure, string Reason) Classify(string? state, bool signalled) => state switch
    {
        "CANCELLED" => (SlurmJobFailure.Lost, "was cancelled outside the backend (scancel by a user or an administrator)"),
        "REVOKED" => (SlurmJobFailure.Lost, "was revoked by the federation"),
        "NODE_FAIL" => (SlurmJobFailure.NodeFailure, "was stopped because its node failed"),
        "BOOT_FAIL" => (SlurmJobFailure.NodeFailure, "could not start because its node failed to boot"),
        "PREEMPTED" => (SlurmJobFailure.Preempted, "was preempted"),
        "TIMEOUT" => (SlurmJobFailure.TimeLimit, "reached its Slurm time limit"),
        "DEADLINE" => (SlurmJobFailure.TimeLimit, "reached its Slurm deadline"),
        "OUT_OF_MEMORY" => (SlurmJobFailure.OutOfMemory, "was stopped by Slurm for using more memory than it was given"),
        "COMPLETED" or "FAILED" when signalled => (SlurmJobFailure.Lost, $"was stopped by a signal (state {state})"),
        "COMPLETED" or "FAILED" => (SlurmJobFailure.LaunchFailed, $"ended (state {state}) without running its task script to the end"),
        null when signalled => (SlurmJobFailure.Lost, "was stopped by a signal and left the queue"),
        null => (SlurmJobFailure.Lost, "left the queue without writing its exit code"),
        _ => (SlurmJobFailure.Lost, $"ended in state {state} without writing its exit code"),
    };

    /// <summary>Parses <c>squeue --format=%i|%T|%r</c> lines into job id → (state, reason).</summary>
    internal static Dictionary<string, (string State, string Reason)> ParseQueue(string output)
    {
        var states = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length >= 2 && parts[0].Length > 0)
            {
                states[parts[0]] = (parts[1].Trim(), parts.Length > 2 ? parts[2].Trim() : string.Empty);
            }
        }

        return states;
    }

    private async Task PollLoopAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(_options.PollInterval, _time).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // A test clock torn down under us: stop following.
                return;
            }

            lock (_gate)
            {
                if (_jobs.IsEmpty)
                {
                    _polling = false;
                    return;
                }
            }

            try
            {
                await PollOnceAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A failed poll (a command that misbehaved, a file system hiccup) is retried at the next interval.
            }
        }
    }

    private async Task PollOnceAsync()
    {
        var jobs = _jobs.Values.ToArray();
        var now = _time.GetTimestamp();
        foreach (var job in jobs)
        {
            if (!job.Ended.IsCompleted)
            {
                CheckFiles(job, now);
            }
        }

        var ids = jobs.Where(job => !job.IsSettled).Select(job => job.QueryId).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var queue = await _cli.RunAsync(
            "squeue",
            ["--noheader", "--array", "--states=all", $"--jobs={string.Join(',', ids)}", "--format=%i|%T|%r"],
            CancellationToken.None).ConfigureAwait(false);
        Dictionary<string, (string State, string Reason)>? states = null;
        if (queue.Succeeded)
        {
            states = ParseQueue(queue.Output);
        }
        else if (ids.Length == 1 && queue.Error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
        {
            // Asked about one job the controller no longer knows (unknown ids in a list are left out silently): gone.
            states = [];
        }

        now = _time.GetTimestamp();
        foreach (var job in jobs)
        {
            await ObserveAsync(job, states, now).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether an exit code is what a shell reports for a program killed by a signal (128 + the signal's number). When
    /// Slurm stops a job it signals the script and its program at about the same moment: if the program dies first,
    /// the script may record its exit code before its own signal trap runs. Such a code counts as the program's only
    /// when Slurm does not report the job stopped (cancelled, timed out, preempted, node failure).
    /// </summary>
    internal static bool IsSignalExitCode(int code) => code is > 128 and <= 128 + 64;

    private void CheckFiles(SlurmJob job, long now)
    {
        var exit = SlurmJobFiles.ReadExit(job.Folder);
        if (exit is not null)
        {
            job.MarkStarted(now);
            if (exit.ExitCode is { } code)
            {
                if (!IsSignalExitCode(code))
                {
                    job.End(new SlurmJobEnd(exit, SlurmJobFailure.None, null), now);
                }
                else
                {
                    // Decided once squeue says how the job finished (or, if it never answers, after the grace).
                    job.SignalExitSeen = true;
                    job.QuietSince ??= now;
                }
            }

            return;
        }

        if (SlurmJobFiles.ReadStarted(job.Folder) is not null)
        {
            job.MarkStarted(now);
        }
    }

    private async Task ObserveAsync(SlurmJob job, Dictionary<string, (string State, string Reason)>? states, long now)
    {
        if (states is null)
        {
            // squeue did not answer: exit records still end jobs (above, and a signal-like exit code after the grace);
            // an ended job gives its slot back after the grace.
            if (!job.Ended.IsCompleted && job.QuietSince is { } since && _time.GetElapsedTime(since, now) >= _options.LostJobGrace
                && SlurmJobFiles.ReadExit(job.Folder) is { ExitCode: not null } exit)
            {
                job.End(new SlurmJobEnd(exit, SlurmJobFailure.None, null), now);
            }

            if (job.Ended.IsCompleted && _time.GetElapsedTime(job.EndedAt, now) >= _options.LostJobGrace)
            {
                Remove(job);
            }

            return;
        }

        var known = states.TryGetValue(job.Id, out var entry);
        var state = known ? entry.State : null;
        var active = state is not null && !IsFinished(state);
        if (!job.Ended.IsCompleted)
        {
            if (state is "RUNNING" or "COMPLETING" or "SUSPENDED" or "STOPPED" or "SIGNALING" or "STAGE_OUT")
            {
                job.MarkStarted(now);
            }

            if (active)
            {
                if (!job.SignalExitSeen)
                {
                    job.QuietSince = null;
                }
            }
            else
            {
                await DecideAsync(job, state, known ? entry.Reason : null, now).ConfigureAwait(false);
            }
        }

        if (job.Ended.IsCompleted && !active)
        {
            Remove(job);
        }
    }

    /// <summary>
    /// Ends a job that Slurm no longer runs: with its exit code when it recorded one (a signal-like code only when Slurm
    /// does not report the job stopped), at once as a failure for a failure state, and after the grace otherwise (the
    /// exit record may show late on a shared file system; a job the queue forgot is looked up in accounting).
    /// </summary>
    private async Task DecideAsync(SlurmJob job, string? state, string? reason, long now)
    {
        // The record may have landed between the file check and squeue's answer.
        var exit = SlurmJobFiles.ReadExit(job.Folder);
        var signalLike = exit?.ExitCode is { } code && IsSignalExitCode(code);
        if (exit?.ExitCode is not null && (!signalLike || state is "COMPLETED" or "FAILED"))
        {
            job.End(new SlurmJobEnd(exit, SlurmJobFailure.None, null), now);
            return;
        }

        if (state is null or "COMPLETED" or "FAILED")
        {
            job.QuietSince ??= now;
            if (_time.GetElapsedTime(job.QuietSince.Value, now) < _options.LostJobGrace)
            {
                return;
            }

            exit = SlurmJobFiles.ReadExit(job.Folder) ?? exit;
            if (state is null && await FinalStateAsync(job.Id).ConfigureAwait(false) is { } final)
            {
                state = final;
            }

            if (exit?.ExitCode is not null && (state is null or "COMPLETED" or "FAILED"))
            {
                // Nothing says Slurm stopped the job: the recorded code is the program's.
                job.End(new SlurmJobEnd(exit, SlurmJobFailure.None, null), now);
                return;
            }
        }

        var signalled = exit is not null;
        var (failure, text) = Classify(state, signalled);
        var details = new List<string>();
        if (!string.IsNullOrEmpty(reason) && reason != "None")
        {
            details.Add($"reason {reason}");
        }

        if (await ControllerDetailsAsync(job.Id).ConfigureAwait(false) is { } controller)
        {
            details.Add(controller);
        }

        if (exit?.Signal is { } signal)
        {
            details.Add($"its script got SIG{signal}");
        }
        else if (exit?.ExitCode is { } killed)
        {
            details.Add($"its program ended with code {killed}");
        }

        if (SlurmJobFiles.ReadLogTail(job.Folder) is { } log)
        {
            details.Add($"its Slurm log ends with: {log}");
        }

        var sentence = $"Slurm job {job.Id} {text}" + (details.Count > 0 ? $" ({string.Join("; ", details)})" : string.Empty);
        job.End(new SlurmJobEnd(exit, failure, sentence), now);
    }

    /// <summary>What <c>scontrol show job</c> says about the job's end (reason and exit code), when the controller still knows it.</summary>
    private async Task<string?> ControllerDetailsAsync(string id)
    {
        var result = await _cli.RunAsync("scontrol", ["show", "job", id], CancellationToken.None).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        var fields = result.Output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var picked = fields.Where(field => field.StartsWith("JobState=", StringComparison.Ordinal)
            || (field.StartsWith("Reason=", StringComparison.Ordinal) && field != "Reason=None")
            || field.StartsWith("ExitCode=", StringComparison.Ordinal)).ToArray();
        return picked.Length == 0 ? null : "scontrol: " + string.Join(" ", picked);
    }

    /// <summary>The state accounting recorded for a job the queue forgot: <c>sacct</c>, then the job completion log (<c>sacct -c</c>).</summary>
    private async Task<string?> FinalStateAsync(string id)
    {
        if (_cli.Locate("sacct") is null)
        {
            return null;
        }

        var accounting = await _cli.RunAsync(
            "sacct",
            ["--noheader", "--parsable2", $"--jobs={id}", "--format=JobID,State"],
            CancellationToken.None).ConfigureAwait(false);
        if (FindState(accounting, id) is { } state)
        {
            return state;
        }

        if (id.Contains('_', StringComparison.Ordinal))
        {
            // The completion log knows array tasks only by their own job ids.
            return null;
        }

        var completion = await _cli.RunAsync(
            "sacct",
            ["--completion", "--noheader", "--parsable2", $"--jobs={id}", "--format=JobID,State"],
            CancellationToken.None).ConfigureAwait(false);
        return FindState(completion, id);
    }

    private static string? FindState(CliResult result, string id)
    {
        if (!result.Succeeded)
        {
            return null;
        }

        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length >= 2 && parts[0] == id)
            {
                // "CANCELLED by 0" → CANCELLED.
                return parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            }
        }

        return null;
    }

    private void Remove(SlurmJob job)
    {
        if (_jobs.TryRemove(new KeyValuePair<string, SlurmJob>(job.Id, job)))
        {
            job.Settle();
        }
    }
}
