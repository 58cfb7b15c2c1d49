namespace Genesis;

/// <summary>Runs candidate processes: on this machine, on a cluster, or in a sandbox.</summary>
public interface IExecutionBackend
{
    /// <summary>How many processes the backend runs at once; further requests wait their turn.</summary>
    int MaxParallelism { get; }

    /// <summary>Runs <paramref name="request"/> and reports how it ended. A crash or timeout is an outcome, not an exception.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Kills the process tree and throws <see cref="OperationCanceledException"/>.</param>
    Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default);
}
