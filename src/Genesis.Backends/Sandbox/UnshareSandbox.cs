using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// Confines a process with util-linux's <c>unshare</c> where bubblewrap is missing: new user (mapped to root, then
/// stripped of every capability with <c>setpriv</c>), pid, network, mount, IPC and UTS namespaces; a set-up script
/// mounts private scratch folders, hides the hidden paths, binds the working folder and makes every other mount
/// read-only. The process runs as uid 0 of its namespace (the host's uid outside), without capabilities. <c>unshare</c>
/// runs with a parent-death signal, so that the sandbox dies with its launcher as bubblewrap's does.
/// </summary>
internal sealed class UnshareSandbox : ConfiningSandbox
{
    private readonly SandboxLayout _layout;

    /// <summary>Creates the sandbox.</summary>
    /// <exception cref="InvalidOperationException"><c>unshare</c>, <c>setpriv</c> or <c>mount</c> is missing or does not work on this machine.</exception>
    public UnshareSandbox(SandboxPolicy policy, HostFacts host)
        : base(policy, host)
    {
        if (host.UnshareProblem is not null || host.Unshare is null || host.Env is null)
        {
            throw new InvalidOperationException($"The unshare sandbox cannot be used: {host.UnshareProblem ?? "env was not found on PATH"}. Install util-linux or use Sandboxes.Detect().");
        }

        _layout = new SandboxLayout(Policy, host.Home);
    }

    /// <inheritdoc />
    protected override string MechanismName => "unshare";

    /// <inheritdoc />
    protected override bool OwnUserNamespace => true;

    /// <inheritdoc />
    protected override bool PrivateScratch => true;

    /// <inheritdoc />
    protected override IEnumerable<string> Confine(ProcessRequest request, string workingDirectory, SortedDictionary<string, string> environment, List<string> command)
    {
        var arguments = new List<string>(48 + environment.Count + command.Count)
        {
            Host.Setpriv!, "--pdeathsig", "KILL", "--",
            Host.Unshare!, "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc", "--ipc", "--uts",
        };
        if (!Policy.AllowNetwork)
        {
            arguments.Add("--net");
        }

        arguments.AddRange(
        [
            "--", Host.Shell!, "-c", SandboxLauncher.UnshareSetupScript, "genesis-sandbox-setup",
            Host.Setpriv!, Policy.ScratchSizeBytes.ToString(CultureInfo.InvariantCulture), workingDirectory,
        ]);
        foreach (var folder in SandboxLayout.ScratchFolders)
        {
            if (folder is not SandboxEnvironment.ScratchFolder and not "/dev/shm" && Directory.Exists(folder))
            {
                arguments.AddRange(["scratch", folder]);
            }
        }

        foreach (var folder in _layout.HiddenFolders)
        {
            arguments.AddRange(["hide", folder]);
        }

        foreach (var file in _layout.HiddenFiles)
        {
            arguments.AddRange(["null", file]);
        }

        foreach (var bind in _layout.ForRun(workingDirectory, request.FileName, request.Arguments, environment.GetValueOrDefault("PYTHONPATH")))
        {
            arguments.AddRange([bind.Writable ? "rw" : bind.IsFile ? "rofile" : "ro", bind.Path]);
        }

        arguments.AddRange(["--", Host.Env!, "-i"]);
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
        if (Policy.AllowNetwork)
        {
            missing.Add("network: allowed (SandboxPolicy.AllowNetwork is true)");
        }
        else
        {
            inForce.Add("network: none, a network namespace of its own (unshare --net): not even 127.0.0.1 of the host is reachable");
        }

        var writable = _layout.WritableFolders.Count > 0 ? $" and {string.Join(", ", _layout.WritableFolders)}" : string.Empty;
        inForce.Add($"file system: every mount read-only except the working folder{writable}; private /tmp, /var/tmp and /dev/shm of {SandboxLauncher.Bytes(Policy.ScratchSizeBytes)} each (tmpfs), gone when the process ends");
        inForce.Add($"host credentials: hidden (empty in the sandbox): {string.Join(", ", _layout.HiddenFolders.Concat(_layout.HiddenFiles))}");
        inForce.Add("isolation: own user namespace (uid 0 of the namespace without any capability, setpriv --bounding-set=-all --no-new-privs), pid, mount, IPC and UTS namespaces; the whole sandbox is killed when its launcher dies (setpriv --pdeathsig KILL, unshare --kill-child)");
        missing.Add(HostFilesNote);
        missing.Add("bubblewrap: not used (" + (Host.BubblewrapProblem ?? "unshare was chosen explicitly") + "); the process sees itself as root of its namespace and may create nested user namespaces");
    }
}
