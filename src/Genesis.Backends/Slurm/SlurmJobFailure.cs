namespace Genesis.Execution;

/// <summary>
/// Why a Slurm job ended without the exit code of its program. A program that runs and exits non-zero is not a
/// failure of the job: that is the candidate's outcome. <see cref="SlurmRetryPolicy.RetryOn"/> combines these flags.
/// </summary>
[Flags]
public enum SlurmJobFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary><c>sbatch</c> refused the job or could not reach the controller.</summary>
    SubmitFailed = 1,

    /// <summary>
    /// The job left the queue without writing its exit code: it was cancelled outside the backend (<c>scancel</c> by a
    /// user or an administrator), revoked, or forgotten by the controller.
    /// </summary>
    Lost = 2,

    /// <summary>The job's node failed or failed to boot (<c>NODE_FAIL</c>, <c>BOOT_FAIL</c>).</summary>
    NodeFailure = 4,

    /// <summary>The job was preempted by a job of higher priority (<c>PREEMPTED</c>).</summary>
    Preempted = 8,

    /// <summary>Slurm stopped the job at its own time limit or deadline (<c>TIMEOUT</c>, <c>DEADLINE</c>) before the backend's timeout did.</summary>
    TimeLimit = 16,

    /// <summary>Slurm stopped the job for using more memory than it was given (<c>OUT_OF_MEMORY</c>).</summary>
    OutOfMemory = 32,

    /// <summary>
    /// The job ended (<c>COMPLETED</c> or <c>FAILED</c>) without running its task script to the end, for example
    /// because the run folder is not visible on the compute node; the job's Slurm log says more.
    /// </summary>
    LaunchFailed = 64,
}
