using Genesis.Execution;

namespace Genesis;

/// <content>The Slurm backend.</content>
public static partial class Backends
{
    /// <summary>
    /// A backend that runs processes as Slurm batch jobs, at most <paramref name="maxJobsInFlight"/> at once, with the
    /// defaults of <see cref="SlurmBackendOptions"/> otherwise. The run folder and the requests' working folders must be
    /// visible on the compute nodes. Use <see cref="SlurmBackend(SlurmBackendOptions)"/> for the other options, and call
    /// <see cref="SlurmBackend.ProbeAsync"/> (or <see cref="SlurmBackend.CheckAsync"/>) before a run to check the cluster.
    /// </summary>
    /// <param name="partition">The partition, or <see langword="null"/> for the cluster's default.</param>
    /// <param name="maxJobsInFlight">How many jobs may be in flight at once, between 1 and 1000; <see langword="null"/> for 64.</param>
    /// <param name="runFolder">The shared folder for job scripts and outputs; <see langword="null"/> for <c>.genesis/slurm</c> under the current folder.</param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names the option.</exception>
    public static SlurmBackend Slurm(string? partition = null, int? maxJobsInFlight = null, string? runFolder = null)
    {
        var options = new SlurmBackendOptions { Partition = partition, RunFolder = runFolder };
        if (maxJobsInFlight is { } max)
        {
            options.MaxParallelism = max;
        }

        return new SlurmBackend(options);
    }
}
