using Genesis.Execution;

namespace Genesis;

/// <summary>
/// Creates the built-in <see cref="ISandbox"/>es. Code an LLM wrote is treated as hostile: <see cref="Detect"/> picks the
/// strongest confinement this machine allows (bubblewrap, else <c>unshare</c>, else resource limits only), and the
/// sandbox's <see cref="ISandbox.Report"/> lists the protections in force and, with the reason, those that are not.
/// </summary>
public static class Sandboxes
{
    private static readonly Lazy<ISandbox> DetectedDefault = new(() => Detect(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>No sandbox: processes run as they are, with the host's network, files and permissions.</summary>
    public static ISandbox None => NoSandbox.Off;

    /// <summary>
    /// The sandbox of <see cref="Detect"/> with the default <see cref="SandboxPolicy"/>, detected once per process; the
    /// default of <see cref="LocalBackendOptions.Sandbox"/>.
    /// </summary>
    public static ISandbox Default => DetectedDefault.Value;

    /// <summary>The mechanism <see cref="Detect"/> would use on this machine.</summary>
    public static SandboxMechanism Strongest
    {
        get
        {
            var host = HostFacts.Current;
            if (!host.IsLinux || host.Shell is null)
            {
                return SandboxMechanism.None;
            }

            if (host.BubblewrapProblem is null)
            {
                return SandboxMechanism.Bubblewrap;
            }

            if (host.UnshareProblem is null && host.Env is not null)
            {
                return SandboxMechanism.Unshare;
            }

            return host.Env is null ? SandboxMechanism.None : SandboxMechanism.LimitsOnly;
        }
    }

    /// <summary>
    /// The strongest sandbox this machine allows, under <paramref name="policy"/>: bubblewrap where <c>bwrap</c> works,
    /// else <c>unshare</c>, else resource limits only (and on a system without a POSIX shell, none). The first call
    /// probes the tools (a few milliseconds); the result is cached for the process.
    /// </summary>
    /// <param name="policy">What the sandbox allows; <see langword="null"/> for the defaults. It is validated and copied.</param>
    /// <exception cref="ArgumentException">An option of <paramref name="policy"/> is out of range; the message names it.</exception>
    public static ISandbox Detect(SandboxPolicy? policy = null)
    {
        var strongest = Strongest;
        if (strongest != SandboxMechanism.None)
        {
            return Create(strongest, policy);
        }

        (policy ?? new SandboxPolicy()).Validate();
        var host = HostFacts.Current;
        return NoSandbox.Unavailable(host.IsLinux ? "sh or env was not found on PATH" : "this is not Linux");
    }

    /// <summary>A sandbox of the given <paramref name="mechanism"/>.</summary>
    /// <param name="mechanism">How to confine processes.</param>
    /// <param name="policy">What the sandbox allows; <see langword="null"/> for the defaults. It is validated and copied.</param>
    /// <exception cref="InvalidOperationException">The mechanism does not work on this machine; the message says why.</exception>
    /// <exception cref="ArgumentException">An option of <paramref name="policy"/> is out of range; the message names it.</exception>
    public static ISandbox Create(SandboxMechanism mechanism, SandboxPolicy? policy = null)
    {
        policy ??= new SandboxPolicy();
        policy.Validate();
        var host = HostFacts.Current;
        return mechanism switch
        {
            SandboxMechanism.None => NoSandbox.Off,
            SandboxMechanism.LimitsOnly => new LimitsOnlySandbox(policy, host),
            SandboxMechanism.Unshare => new UnshareSandbox(policy, host),
            SandboxMechanism.Bubblewrap => new BubblewrapSandbox(policy, host),
            _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, $"Sandboxes.Create: unknown mechanism {mechanism}."),
        };
    }

    /// <summary>A bubblewrap sandbox under <paramref name="policy"/>.</summary>
    /// <param name="policy">What the sandbox allows; <see langword="null"/> for the defaults.</param>
    /// <exception cref="InvalidOperationException">bubblewrap is missing or does not work here; the message says why.</exception>
    public static ISandbox Bubblewrap(SandboxPolicy? policy = null) => Create(SandboxMechanism.Bubblewrap, policy);
}
