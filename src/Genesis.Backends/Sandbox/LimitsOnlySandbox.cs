namespace Genesis.Execution;

/// <summary>
/// The weakest confinement, where no namespace tool works: the allow-listed environment, <c>HOME</c> set to the
/// working folder, the resource limits (<c>ulimit</c>) and the cgroups. The process shares the host's network and
/// file system.
/// </summary>
internal sealed class LimitsOnlySandbox : ConfiningSandbox
{
    /// <summary>Creates the sandbox.</summary>
    /// <exception cref="InvalidOperationException"><c>env</c> was not found.</exception>
    public LimitsOnlySandbox(SandboxPolicy policy, HostFacts host)
        : base(policy, host)
    {
        if (host.Env is null)
        {
            throw new InvalidOperationException("The limits-only sandbox cannot be used: env was not found on PATH.");
        }
    }

    /// <inheritdoc />
    protected override string MechanismName => "limits only";

    /// <inheritdoc />
    protected override bool OwnUserNamespace => false;

    /// <inheritdoc />
    protected override bool PrivateScratch => false;

    /// <inheritdoc />
    protected override IEnumerable<string> Confine(ProcessRequest request, string workingDirectory, SortedDictionary<string, string> environment, List<string> command)
    {
        var arguments = new List<string>(2 + environment.Count + command.Count) { Host.Env!, "-i" };
        foreach (var (name, value) in environment)
        {
            arguments.Add($"{name}={value}");
        }

        arguments.AddRange(command);
        return arguments;
    }

    /// <inheritdoc />
    protected override void DescribeIsolation(List<string> inForce, List<string> missing)
    {
        var why = Host.IsLinux ? $"no namespace tool works here (bubblewrap: {Host.BubblewrapProblem}; unshare: {Host.UnshareProblem})" : "this is not Linux";
        missing.Add($"network: not isolated: {why}");
        missing.Add($"file system: not read-only, no private /tmp: {why}");
        missing.Add($"host credentials: readable wherever the host's permissions allow: {why}");
        missing.Add($"isolation: no pid or user namespace: {why}");
    }
}
