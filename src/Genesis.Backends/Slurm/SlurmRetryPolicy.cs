namespace Genesis.Execution;

/// <summary>
/// Which failed Slurm jobs a <see cref="SlurmBackend"/> submits again, and how often. A retry is a new job (a single
/// job, also for a task of an array) in a new folder; it waits for a free slot like any other job.
/// </summary>
public sealed class SlurmRetryPolicy
{
    /// <summary>The largest allowed <see cref="MaxAttempts"/>.</summary>
    public const int MaxAttemptsLimit = 100;

    /// <summary>The longest allowed <see cref="Delay"/>.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>How many jobs a request may use in all, the first included: 1 means no retry. Between 1 and 100. Default: 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// The failures that are retried; the others are reported at once. Default: <see cref="SlurmJobFailure.Lost"/>,
    /// <see cref="SlurmJobFailure.NodeFailure"/> and <see cref="SlurmJobFailure.Preempted"/> (what the cluster did to a
    /// job, not what the job did).
    /// </summary>
    public SlurmJobFailure RetryOn { get; set; } = SlurmJobFailure.Lost | SlurmJobFailure.NodeFailure | SlurmJobFailure.Preempted;

    /// <summary>How long to wait before submitting a retry, measured on the backend's clock. Between zero and 1 hour. Default: 1 second.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxAttempts),
                MaxAttempts,
                $"SlurmRetryPolicy.MaxAttempts must be between 1 and {MaxAttemptsLimit}, was {MaxAttempts}.");
        }

        const SlurmJobFailure all = SlurmJobFailure.SubmitFailed | SlurmJobFailure.Lost | SlurmJobFailure.NodeFailure | SlurmJobFailure.Preempted
            | SlurmJobFailure.TimeLimit | SlurmJobFailure.OutOfMemory | SlurmJobFailure.LaunchFailed;
        if ((RetryOn & ~all) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryOn), RetryOn, $"SlurmRetryPolicy.RetryOn holds an unknown failure: {RetryOn}.");
        }

        if (Delay < TimeSpan.Zero || Delay > MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(Delay), Delay, $"SlurmRetryPolicy.Delay must be between 0 and {MaxDelay}, was {Delay}.");
        }
    }

    /// <summary>Whether a job that failed with <paramref name="failure"/> on attempt <paramref name="attempt"/> is submitted again.</summary>
    internal bool ShouldRetry(SlurmJobFailure failure, int attempt) => attempt < MaxAttempts && (RetryOn & failure) != 0;

    internal SlurmRetryPolicy Clone() => new() { MaxAttempts = MaxAttempts, RetryOn = RetryOn, Delay = Delay };
}
