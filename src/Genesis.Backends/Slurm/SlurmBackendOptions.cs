namespace Genesis.Execution;

/// <summary>Options of a <see cref="SlurmBackend"/>. The backend validates and copies them when it is created.</summary>
public sealed class SlurmBackendOptions
{
    /// <summary>
    /// The largest allowed <see cref="MaxParallelism"/>: an array never holds more tasks than there are slots, and Slurm's
    /// default <c>MaxArraySize</c> (1001) allows indexes up to 1000.
    /// </summary>
    public const int MaxParallelismLimit = 1000;

    /// <summary>The shortest allowed <see cref="PollInterval"/>.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest allowed <see cref="PollInterval"/>, <see cref="BatchWindow"/> and <see cref="CommandTimeout"/>.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(10);

    /// <summary>The longest allowed <see cref="LostJobGrace"/>.</summary>
    public static readonly TimeSpan MaxLostJobGrace = TimeSpan.FromHours(1);

    /// <summary>
    /// How many jobs are in flight at once: submitted and not yet gone from the queue (a task of an array counts as a
    /// job). Further requests wait for a slot before they are submitted. Between 1 and 1000. Default: 64.
    /// </summary>
    public int MaxParallelism { get; set; } = 64;

    /// <summary>The partition (<c>sbatch --partition</c>), or <see langword="null"/> (the default) for the cluster's default partition.</summary>
    public string? Partition { get; set; }

    /// <summary>The jobs' name (<c>sbatch --job-name</c>), as <c>squeue</c> shows it. Default: <c>genesis</c>.</summary>
    public string JobName { get; set; } = "genesis";

    /// <summary>
    /// Slurm's time limit for every job (<c>sbatch --time</c>, whole minutes, at least 1), or <see langword="null"/> (the
    /// default) to derive it from each request's <see cref="ProcessRequest.Timeout"/>: rounded up to whole minutes, plus
    /// one minute, so that Slurm stops a job whose cancellation the backend could not deliver; no limit (the partition's)
    /// for <see cref="Timeout.InfiniteTimeSpan"/>. The backend enforces each request's timeout itself, from the moment
    /// the job starts running (time spent waiting in the queue does not count).
    /// </summary>
    public TimeSpan? TimeLimit { get; set; }

    /// <summary>CPUs for each job (<c>sbatch --cpus-per-task</c>). Between 1 and 4096. Default: 1.</summary>
    public int CpusPerTask { get; set; } = 1;

    /// <summary>
    /// Memory for each job in megabytes (<c>sbatch --mem</c>), or <see langword="null"/> (the default) for the
    /// cluster's default (<c>DefMemPerCPU</c>).
    /// </summary>
    public int? MemoryPerTaskMegabytes { get; set; }

    /// <summary>
    /// How often the backend looks at its jobs: one <c>squeue</c> call for all jobs in flight, and a look at each job's
    /// files. Between 10 milliseconds and 10 minutes. Default: 1 second.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long <see cref="SlurmBackend.RunAsync"/> collects requests before it submits them together as one job array
    /// (a single request goes alone as a plain job); collecting stops early when every slot waits. Zero submits every
    /// request at once as its own job. Between zero and 10 minutes. Default: 200 milliseconds.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a job that has left the queue (or ended as <c>COMPLETED</c> or <c>FAILED</c>) may take to show its exit
    /// code file before it is reported lost or failed: shared file systems may show a file late. Also how long the
    /// backend keeps counting a finished job as in flight while <c>squeue</c> does not answer. Between zero and 1 hour.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan LostJobGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The folder for job scripts, outputs and exit codes, one subfolder per job. It must be visible at the same path
    /// on the compute nodes (a shared file system), like each request's working folder. <see langword="null"/> (the
    /// default) for <c>.genesis/slurm</c> under the current folder when the backend is created.
    /// </summary>
    public string? RunFolder { get; set; }

    /// <summary>Whether each job's folder (script, output, exit code, Slurm log) is kept after the job is gone. Default: <see langword="false"/>.</summary>
    public bool KeepJobFiles { get; set; }

    /// <summary>
    /// Arguments added to every <c>sbatch</c> call after the backend's own, for example <c>--account=proj</c>,
    /// <c>--qos=short</c> or <c>--gres=gpu:1</c>. Default: none.
    /// </summary>
    public IReadOnlyList<string> ExtraSbatchArguments { get; set; } = [];

    /// <summary>
    /// The names of the host's environment variables a job inherits, or <see langword="null"/> (the default) for the
    /// host's whole environment minus secrets (as <see cref="LocalBackendOptions.InheritedVariables"/>). The variables
    /// go to the job through <c>sbatch --export=ALL</c>; Slurm adds its own <c>SLURM_*</c> variables, and each request's
    /// <see cref="ProcessRequest.Environment"/> is applied on top by the job script.
    /// </summary>
    public IReadOnlyList<string>? InheritedVariables { get; set; }

    /// <summary>
    /// The sandbox each request is rewritten by before it becomes a job, or <see langword="null"/> (the default) for none.
    /// The sandbox's tools (for example <c>bwrap</c>) must exist on the compute nodes.
    /// </summary>
    public ISandbox? Sandbox { get; set; }

    /// <summary>Which failed jobs are submitted again. Default: a new <see cref="SlurmRetryPolicy"/> (3 attempts for lost, node-failed and preempted jobs).</summary>
    public SlurmRetryPolicy Retry { get; set; } = new();

    /// <summary>
    /// Called for every job that ended without its program's exit code, retried or not, so the failure can be recorded
    /// or logged; the final failure also reaches the caller as <see cref="ProcessOutcome.StartError"/>. Exceptions it
    /// throws are ignored. Default: <see langword="null"/>.
    /// </summary>
    public Func<SlurmJobFailureArguments, ValueTask>? OnJobFailure { get; set; }

    /// <summary>
    /// The folder that holds <c>sbatch</c>, <c>squeue</c>, <c>scancel</c>, <c>sinfo</c>, <c>scontrol</c> and
    /// <c>sacct</c>, or <see langword="null"/> (the default) to look them up on <c>PATH</c>.
    /// </summary>
    public string? SlurmBinDirectory { get; set; }

    /// <summary>
    /// How long one Slurm command (<c>sbatch</c>, <c>squeue</c>, ...) may take before it is killed and counted as
    /// failed. Between 1 second and 10 minutes. Default: 1 minute.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock for polling, timeouts, batch windows and retry delays. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is out of range or missing, naming the option and the allowed values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentNullException">A required option is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text option is empty or malformed.</exception>
    public void Validate()
    {
        if (MaxParallelism is < 1 or > MaxParallelismLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxParallelism),
                MaxParallelism,
                $"SlurmBackendOptions.MaxParallelism must be between 1 and {MaxParallelismLimit}, was {MaxParallelism}.");
        }

        if (Partition is not null && (Partition.Length == 0 || Partition.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException($"SlurmBackendOptions.Partition must be null or a partition name without spaces, was '{Partition}'.", nameof(Partition));
        }

        if (string.IsNullOrWhiteSpace(JobName) || JobName.Any(char.IsControl))
        {
            throw new ArgumentException("SlurmBackendOptions.JobName must be a non-empty name without control characters.", nameof(JobName));
        }

        if (TimeLimit is { } limit && limit < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), limit, $"SlurmBackendOptions.TimeLimit must be null or at least 1 minute, was {limit}.");
        }

        if (CpusPerTask is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(CpusPerTask), CpusPerTask, $"SlurmBackendOptions.CpusPerTask must be between 1 and 4096, was {CpusPerTask}.");
        }

        if (MemoryPerTaskMegabytes is < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MemoryPerTaskMegabytes),
                MemoryPerTaskMegabytes,
                $"SlurmBackendOptions.MemoryPerTaskMegabytes must be null or at least 1, was {MemoryPerTaskMegabytes}.");
        }

        CheckRange(PollInterval, MinPollInterval, MaxInterval, nameof(PollInterval));
        CheckRange(BatchWindow, TimeSpan.Zero, MaxInterval, nameof(BatchWindow));
        CheckRange(LostJobGrace, TimeSpan.Zero, MaxLostJobGrace, nameof(LostJobGrace));
        CheckRange(CommandTimeout, TimeSpan.FromSeconds(1), MaxInterval, nameof(CommandTimeout));

        if (RunFolder is not null && string.IsNullOrWhiteSpace(RunFolder))
        {
            throw new ArgumentException("SlurmBackendOptions.RunFolder must be null or name a folder.", nameof(RunFolder));
        }

        if (ExtraSbatchArguments is null)
        {
            throw new ArgumentNullException(nameof(ExtraSbatchArguments), "SlurmBackendOptions.ExtraSbatchArguments must not be null.");
        }

        if (ExtraSbatchArguments.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("SlurmBackendOptions.ExtraSbatchArguments must not hold a null or empty argument.", nameof(ExtraSbatchArguments));
        }

        if (InheritedVariables is not null && InheritedVariables.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("SlurmBackendOptions.InheritedVariables must not hold a null or empty name.", nameof(InheritedVariables));
        }

        if (Retry is null)
        {
            throw new ArgumentNullException(nameof(Retry), "SlurmBackendOptions.Retry must not be null.");
        }

        Retry.Validate();

        if (SlurmBinDirectory is not null && string.IsNullOrWhiteSpace(SlurmBinDirectory))
        {
            throw new ArgumentException("SlurmBackendOptions.SlurmBinDirectory must be null or name a folder.", nameof(SlurmBinDirectory));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "SlurmBackendOptions.TimeProvider must not be null.");
        }
    }

    /// <summary>Returns a copy with <see cref="RunFolder"/> resolved, so later changes to this instance do not reach a backend.</summary>
    internal SlurmBackendOptions Clone() => new()
    {
        MaxParallelism = MaxParallelism,
        Partition = Partition,
        JobName = JobName,
        TimeLimit = TimeLimit,
        CpusPerTask = CpusPerTask,
        MemoryPerTaskMegabytes = MemoryPerTaskMegabytes,
        PollInterval = PollInterval,
        BatchWindow = BatchWindow,
        LostJobGrace = LostJobGrace,
        RunFolder = Path.GetFullPath(RunFolder ?? Path.Combine(Directory.GetCurrentDirectory(), ".genesis", "slurm")),
        KeepJobFiles = KeepJobFiles,
        ExtraSbatchArguments = ExtraSbatchArguments.ToArray(),
        InheritedVariables = InheritedVariables?.ToArray(),
        Sandbox = Sandbox,
        Retry = Retry.Clone(),
        OnJobFailure = OnJobFailure,
        SlurmBinDirectory = SlurmBinDirectory,
        CommandTimeout = CommandTimeout,
        TimeProvider = TimeProvider,
    };

    private static void CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"SlurmBackendOptions.{name} must be between {min} and {max}, was {value}.");
        }
    }
}
