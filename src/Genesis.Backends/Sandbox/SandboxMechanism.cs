namespace Genesis.Execution;

/// <summary>How a sandbox confines processes, from the weakest to the strongest.</summary>
public enum SandboxMechanism
{
    /// <summary>Not at all: <see cref="Sandboxes.None"/>.</summary>
    None,

    /// <summary>
    /// Only the allow-listed environment, the resource limits (<c>ulimit</c>) and cgroups; the process shares the host's
    /// network and file system. Used where no namespace tool works.
    /// </summary>
    LimitsOnly,

    /// <summary>
    /// util-linux's <c>unshare</c>: user, pid, network, mount, IPC and UTS namespaces, set up by a script that makes the
    /// file system read-only except the working folder; plus everything of <see cref="LimitsOnly"/>.
    /// </summary>
    Unshare,

    /// <summary>
    /// bubblewrap (<c>bwrap</c>): user (uid 65534), pid, network, IPC, UTS and cgroup namespaces, a read-only file system
    /// except the working folder, no nested user namespaces; plus everything of <see cref="LimitsOnly"/>. The strongest.
    /// </summary>
    Bubblewrap,
}
