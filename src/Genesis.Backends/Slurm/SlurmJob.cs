namespace Genesis.Execution;

/// <summary>How a Slurm job ended, as the monitor saw it.</summary>
/// <param name="Exit">What the task script recorded, when it ran to its end.</param>
/// <param name="Failure">Why the job ended without an exit code, or <see cref="SlurmJobFailure.None"/>.</param>
/// <param name="Reason">The failure in words, or <see langword="null"/>.</param>
internal sealed record SlurmJobEnd(SlurmExitRecord? Exit, SlurmJobFailure Failure, string? Reason)
{
    /// <summary>The end recorded when the backend itself cancelled the job (timeout or caller's cancellation).</summary>
    public static readonly SlurmJobEnd CancelledByBackend = new(null, SlurmJobFailure.None, "cancelled by the backend");
}

/// <summary>
/// Files shared by the tasks of one submission: the folder of a job array (its launcher), deleted when the last task's
/// folder goes.
/// </summary>
internal sealed class SlurmJobGroup(string? folder, int count, bool keepFiles)
{
    private int _remaining = count;

    /// <summary>Called when one task's folder was released; the last one deletes the group's folder.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _remaining) == 0 && folder is not null && !keepFiles)
        {
            SlurmJobFiles.TryDelete(folder);
        }
    }
}

/// <summary>
/// One submitted job (or task of an array) that the monitor follows. It ends once (exit code known, failure decided, or
/// cancelled by the backend) and settles once (it left the queue): settling frees its slot. Its folder is deleted when
/// it has settled and its outcome has been collected.
/// </summary>
internal sealed class SlurmJob
{
    private readonly TaskCompletionSource<SlurmJobEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onSettled;
    private readonly SlurmJobGroup _group;
    private readonly bool _keepFiles;
    private int _holds = 2;
    private int _settled;
    private long _startedAt;

    public SlurmJob(string id, string folder, int attempt, SlurmJobGroup group, bool keepFiles, Action onSettled)
    {
        Id = id;
        QueryId = id.Split('_')[0];
        Folder = folder;
        Attempt = attempt;
        _group = group;
        _keepFiles = keepFiles;
        _onSettled = onSettled;
    }

    /// <summary><c>1234</c>, or <c>1234_5</c> for task 5 of array 1234: the id <c>squeue --array</c> prints.</summary>
    public string Id { get; }

    /// <summary>The id to ask <c>squeue --jobs</c> about: the array's for a task.</summary>
    public string QueryId { get; }

    /// <summary>The task's folder (script, output, exit code).</summary>
    public string Folder { get; }

    /// <summary>Which attempt of its request this job is.</summary>
    public int Attempt { get; }

    /// <summary>Completes when the job ended.</summary>
    public Task<SlurmJobEnd> Ended => _ended.Task;

    /// <summary>Completes when the job was seen running (its script started, or squeue says so).</summary>
    public Task Started => _started.Task;

    /// <summary>The backend clock's timestamp when the job was first seen running; 0 before.</summary>
    public long StartedAt => Interlocked.Read(ref _startedAt);

    /// <summary>The backend clock's timestamp when the job ended; 0 before.</summary>
    public long EndedAt { get; private set; }

    /// <summary>The monitor's clock reading when the job was first seen finished without an exit code, or <see langword="null"/>.</summary>
    public long? QuietSince { get; set; }

    /// <summary>Whether the exit record holds a signal-like exit code that waits for Slurm's word on how the job finished.</summary>
    public bool SignalExitSeen { get; set; }

    /// <summary>Whether the backend cancelled the job (timeout or caller's cancellation): it is then only waited out.</summary>
    public bool CancelledByBackend { get; private set; }

    /// <summary>Whether the job left the queue and gave back its slot.</summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    public void MarkStarted(long timestamp)
    {
        if (Interlocked.CompareExchange(ref _startedAt, timestamp, 0) == 0)
        {
            _started.TrySetResult();
        }
    }

    /// <summary>Records how the job ended; only the first call counts. Returns whether it did.</summary>
    public bool End(SlurmJobEnd end, long timestamp)
    {
        lock (_ended)
        {
            if (_ended.Task.IsCompleted)
            {
                return false;
            }

            EndedAt = timestamp;
            if (ReferenceEquals(end, SlurmJobEnd.CancelledByBackend))
            {
                CancelledByBackend = true;
            }

            return _ended.TrySetResult(end);
        }
    }

    /// <summary>Frees the job's slot once; called when the job left the queue.</summary>
    public void Settle()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            _onSettled();
            ReleaseFiles();
        }
    }

    /// <summary>Says the outcome was read from the folder; with <see cref="Settle"/>, lets the folder go.</summary>
    public void Collected() => ReleaseFiles();

    private void ReleaseFiles()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
        {
            if (!_keepFiles)
            {
                SlurmJobFiles.TryDelete(Folder);
            }

            _group.Release();
        }
    }
}
