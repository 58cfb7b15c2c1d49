using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// Confines a process with bubblewrap (<c>bwrap</c>): new user (as uid 65534), pid, network, IPC, UTS and cgroup
/// namespaces; the host's file system read-only with the working folder (and the policy's writable folders) bound
/// writable; private, size-limited <c>/tmp</c>, <c>/var/tmp</c> and <c>/dev/shm</c>; the hidden paths replaced by
/// empty, read-only ones; no nested user namespaces; and the whole sandbox killed when its launcher dies.
/// </summary>
internal sealed class BubblewrapSandbox : ConfiningSandbox
{
    /// <summary>The user and group the process runs as inside the sandbox (<c>nobody</c>).</summary>
    public const int SandboxUserId = 65534;

    private const long HiddenFolderSize = 64 * 1024;

    private readonly SandboxLayout _layout;

    /// <summary>Creates the sandbox.</summary>
    /// <exception cref="InvalidOperationException">bubblewrap is missing or does not work on this machine.</exception>
    public BubblewrapSandbox(SandboxPolicy policy, HostFacts host)
        : base(policy, host)
    {
        if (host.BubblewrapProblem is not null || host.Bubblewrap is null)
        {
            throw new InvalidOperationException($"The bubblewrap sandbox cannot be used: {host.BubblewrapProblem}. Install bubblewrap (apt-get install bubblewrap) or use Sandboxes.Detect().");
        }

        _layout = new SandboxLayout(Policy, host.Home);
    }

    /// <inheritdoc />
    protected override string MechanismName => $"bubblewrap {Host.BubblewrapVersion}";

    /// <inheritdoc />
    protected override bool OwnUserNamespace => true;

    /// <inheritdoc />
    protected override bool PrivateScratch => true;

    /// <inheritdoc />
    protected override IEnumerable<string> Confine(ProcessRequest request, string workingDirectory, SortedDictionary<string, string> environment, List<string> command)
    {
        var uid = SandboxUserId.ToString(CultureInfo.InvariantCulture);
        var scratch = Policy.ScratchSizeBytes.ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string>(64 + (2 * environment.Count) + command.Count)
        {
            Host.Bubblewrap!,
            "--die-with-parent",
            "--unshare-user", "--uid", uid, "--gid", uid,
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", "genesis-sandbox",
        };
        if (Host.BubblewrapDisablesUserNamespaces)
        {
            arguments.Add("--disable-userns");
        }

        if (!Policy.AllowNetwork)
        {
            arguments.Add("--unshare-net");
        }

        arguments.AddRange(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
        foreach (var folder in SandboxLayout.ScratchFolders)
        {
            if (folder == "/dev/shm" || Directory.Exists(folder))
            {
                arguments.AddRange(["--perms", "1777", "--size", scratch, "--tmpfs", folder]);
            }
        }

        var hiddenSize = HiddenFolderSize.ToString(CultureInfo.InvariantCulture);
        foreach (var folder in _layout.HiddenFolders)
        {
            arguments.AddRange(["--perms", "0755", "--size", hiddenSize, "--tmpfs", folder]);
        }

        foreach (var file in _layout.HiddenFiles)
        {
            arguments.AddRange(["--ro-bind", "/dev/null", file]);
        }

        foreach (var bind in _layout.ForRun(workingDirectory, request.FileName, request.Arguments, environment.GetValueOrDefault("PYTHONPATH")))
        {
            arguments.AddRange([bind.Writable ? "--bind" : "--ro-bind", bind.Path, bind.Path]);
        }

        foreach (var folder in _layout.HiddenFolders)
        {
            arguments.AddRange(["--remount-ro", folder]);
        }

        arguments.AddRange(["--chdir", workingDirectory, "--clearenv"]);
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.Add("--");
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
            inForce.Add("network: none, a network namespace of its own with only a loopback interface (bwrap --unshare-net): not even 127.0.0.1 of the host is reachable");
        }

        var writable = _layout.WritableFolders.Count > 0 ? $" and {string.Join(", ", _layout.WritableFolders)}" : string.Empty;
        inForce.Add($"file system: read-only except the working folder{writable}; private /tmp, /var/tmp and /dev/shm of {SandboxLauncher.Bytes(Policy.ScratchSizeBytes)} each (tmpfs), gone when the process ends");
        inForce.Add($"host credentials: hidden (empty in the sandbox): {string.Join(", ", _layout.HiddenFolders.Concat(_layout.HiddenFiles))}");
        inForce.Add("isolation: own user namespace (uid 65534, no capabilities"
            + (Host.BubblewrapDisablesUserNamespaces ? ", no nested user namespaces" : string.Empty)
            + "), pid, IPC, UTS and cgroup namespaces; the whole sandbox is killed when its launcher dies (--die-with-parent)");
        missing.Add(HostFilesNote);
        if (!Host.BubblewrapDisablesUserNamespaces)
        {
            missing.Add($"nested user namespaces: allowed (bubblewrap {Host.BubblewrapVersion} lacks --disable-userns, added in 0.8.0)");
        }
    }
}
