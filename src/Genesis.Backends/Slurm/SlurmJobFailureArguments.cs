namespace Genesis.Execution;

/// <summary>A Slurm job that ended without its program's exit code, as passed to <see cref="SlurmBackendOptions.OnJobFailure"/>.</summary>
public sealed record SlurmJobFailureArguments
{
    /// <summary>The job's id, <c>1234</c> for a single job or <c>1234_5</c> for a task of an array; empty when <c>sbatch</c> failed.</summary>
    public required string JobId { get; init; }

    /// <summary>The request the job ran (as given to the backend, before any sandbox rewrote it).</summary>
    public required ProcessRequest Request { get; init; }

    /// <summary>Which attempt failed, from 1.</summary>
    public required int Attempt { get; init; }

    /// <summary>How many attempts the retry policy allows.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>What happened to the job.</summary>
    public required SlurmJobFailure Failure { get; init; }

    /// <summary>The reason in words, with what Slurm said about the job.</summary>
    public required string Reason { get; init; }

    /// <summary>Whether the backend submits the request again.</summary>
    public required bool WillRetry { get; init; }
}
