namespace Genesis.Execution;

/// <summary>What <see cref="SlurmBackend.ProbeAsync"/> found.</summary>
/// <param name="Version">The Slurm version, as <c>sinfo --version</c> prints it, for example <c>slurm-wlm 22.05.8</c>.</param>
/// <param name="Partitions">
/// The partitions jobs may go to (the configured one, or all), one line each: name (a <c>*</c> marks the default),
/// availability, node count and node state, as <c>sinfo</c> prints them.
/// </param>
public sealed record SlurmClusterInfo(string Version, IReadOnlyList<string> Partitions);
