using System.Globalization;
using System.Runtime.CompilerServices;

namespace Genesis.Execution;

/// <summary>A sandbox whose runs hold resources on this machine (cgroups) that the backend releases when a run ends.</summary>
internal interface IReleasingSandbox
{
    /// <summary>
    /// Frees what the run of <paramref name="wrapped"/> (a request this sandbox returned) still holds, once its process
    /// tree was killed; it may finish in the background (killed processes may take a moment to exit).
    /// </summary>
    void Release(ProcessRequest wrapped);

    /// <summary>Frees what the run of <paramref name="wrapped"/> still holds, and completes when that is done.</summary>
    ValueTask ReleaseAsync(ProcessRequest wrapped)
    {
        Release(wrapped);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// What the sandboxes share: the launcher (cgroups, resource limits, the note on standard error saying which limit
/// stopped a process), the allow-listed environment, and the report.
/// </summary>
internal abstract class ConfiningSandbox : ISandbox, IReleasingSandbox
{
    private readonly ConditionalWeakTable<ProcessRequest, CgroupRun> _runs = [];
    private readonly CgroupPool _cgroups;

    protected ConfiningSandbox(SandboxPolicy policy, HostFacts host)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        Policy = policy.Clone();
        Host = host;
        _cgroups = new CgroupPool(host.Cgroups, LimitsProcessesByCgroup ? Policy.MaxProcesses : null, LimitsMemoryByCgroup ? Policy.MaxMemoryBytes : null);
        if (host.Shell is null)
        {
            throw new InvalidOperationException("No POSIX shell (sh) was found on PATH: the sandbox needs one to start processes.");
        }
    }

    /// <summary>The policy, copied.</summary>
    protected SandboxPolicy Policy { get; }

    /// <summary>This machine.</summary>
    protected HostFacts Host { get; }

    /// <inheritdoc />
    public SandboxReport Report => field ??= BuildReport();

    /// <summary>The mechanism's name for the report, for example <c>bubblewrap 0.8.0</c>.</summary>
    protected abstract string MechanismName { get; }

    /// <summary>Whether the process gets a user namespace of its own, in which <c>RLIMIT_NPROC</c> counts only its processes.</summary>
    protected abstract bool OwnUserNamespace { get; }

    /// <summary>Whether the process gets its own <c>/tmp</c> (then <c>TMPDIR</c> names it).</summary>
    protected abstract bool PrivateScratch { get; }

    /// <summary>The report's line on the host files that stay readable.</summary>
    protected string HostFilesNote =>
        "other host files: readable, never writable, wherever the permissions of the host user "
        + (Host.IsRoot ? "(root, whom the sandbox's user maps to) " : string.Empty)
        + "allow: only the hidden paths, the host's /tmp and what is not bound are out of reach (add secrets elsewhere to SandboxPolicy.HiddenPaths)";

    /// <summary>Whether a pids cgroup limits the process count.</summary>
    protected bool LimitsProcessesByCgroup => Policy.MaxProcesses is not null && Host.Cgroups.PidsBase is not null;

    /// <summary>Whether a memory cgroup limits the sandbox's memory.</summary>
    protected bool LimitsMemoryByCgroup => Policy.MaxMemoryBytes is not null && Host.Cgroups.MemoryBase is not null;

    /// <summary>Whether <c>RLIMIT_NPROC</c> limits the process count (only where it counts the sandbox's processes alone).</summary>
    protected bool LimitsProcessesByRlimit =>
        Policy.MaxProcesses is not null && !LimitsProcessesByCgroup && !Host.IsRoot && OwnUserNamespace && Host.Prlimit is not null;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The request has no program, or its working folder is not absolute or contains a path the sandbox hides (for example
    /// the host's home folder or <c>/</c>).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">A writable folder of the policy does not exist.</exception>
    public ProcessRequest Wrap(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.FileName))
        {
            throw new ArgumentException("ProcessRequest.FileName must name a program.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.WorkingDirectory) || !Path.IsPathRooted(request.WorkingDirectory))
        {
            throw new ArgumentException($"ProcessRequest.WorkingDirectory must be an absolute path to confine a process, was '{request.WorkingDirectory}'.", nameof(request));
        }

        var workingDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.WorkingDirectory));
        var environment = SandboxEnvironment.Build(
            Policy.AllowedVariables,
            System.Environment.GetEnvironmentVariables(),
            Host.Home,
            workingDirectory,
            PrivateScratch,
            request.Environment);
        var command = new List<string>();
        if (LimitsProcessesByRlimit)
        {
            // RLIMIT_NPROC must be set inside the sandbox's user namespace, where it counts only the sandbox's processes.
            var processes = Clamp("nproc", Policy.MaxProcesses!.Value);
            command.AddRange([Host.Prlimit!, string.Create(CultureInfo.InvariantCulture, $"--nproc={processes}:{processes}"), "--"]);
        }

        command.Add(request.FileName);
        command.AddRange(request.Arguments);

        var confined = Confine(request, workingDirectory, environment, command).ToList();
        var cgroups = _cgroups.Rent();
        var arguments = SandboxLauncher.Arguments(cgroups, Policy, Limits());
        arguments.AddRange(confined);
        var wrapped = request with
        {
            FileName = Host.Shell!,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            Environment = new Dictionary<string, string?>(),
        };
        _runs.AddOrUpdate(wrapped, cgroups);
        return wrapped;
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(ProcessRequest wrapped)
    {
        if (!_runs.TryGetValue(wrapped, out var cgroups))
        {
            return ValueTask.CompletedTask;
        }

        _runs.Remove(wrapped);
        return _cgroups.ReturnAsync(cgroups);
    }

    /// <inheritdoc />
    public void Release(ProcessRequest wrapped) => _ = ReleaseAsync(wrapped).AsTask();

    /// <summary>The cgroups of a run this sandbox wrapped and has not released yet, or <see langword="null"/>.</summary>
    internal CgroupRun? CgroupsOf(ProcessRequest wrapped) => _runs.TryGetValue(wrapped, out var cgroups) ? cgroups : null;

    /// <summary>
    /// The command that runs <paramref name="command"/> (the limits and the program) confined, with exactly
    /// <paramref name="environment"/>, in <paramref name="workingDirectory"/>.
    /// </summary>
    protected abstract IEnumerable<string> Confine(ProcessRequest request, string workingDirectory, SortedDictionary<string, string> environment, List<string> command);

    /// <summary>Adds the mechanism's isolation (namespaces, file system, credentials) to the report.</summary>
    protected abstract void DescribeIsolation(List<string> inForce, List<string> missing);

    /// <summary>The launcher's resource limits, each clamped to this process's hard limit where it is not root (which could not raise it).</summary>
    private LauncherLimits Limits()
    {
        var cpu = Policy.MaxCpuTime is { } time ? Clamp("cpu", SandboxLauncher.Seconds(time)) : (long?)null;
        return new LauncherLimits(
            AddressSpaceKiB: Policy.MaxAddressSpaceBytes is { } space ? Clamp("as", space) / 1024 : null,
            CpuSeconds: cpu,
            CpuHardSeconds: cpu is { } soft ? Clamp("cpu", soft + 5) : null,
            FileSizeBlocks: Policy.MaxFileSizeBytes is { } size ? Clamp("fsize", size) / 512 : null,
            OpenFiles: Policy.MaxOpenFiles is { } files ? Clamp("nofile", files) : null);
    }

    private long Clamp(string limit, long value) =>
        !Host.IsRoot && Host.HardLimits.TryGetValue(limit, out var ceiling) ? Math.Min(value, ceiling) : value;

    private SandboxReport BuildReport()
    {
        var inForce = new List<string>();
        var missing = new List<string>();
        DescribeIsolation(inForce, missing);
        inForce.Add(
            $"environment: only allow-listed host variables ({string.Join(", ", Policy.AllowedVariables)}), never one named like a key, token, secret, password or credential; HOME is the working folder");

        var cgroupControllers = new List<string>();
        if (LimitsProcessesByCgroup)
        {
            inForce.Add(string.Create(CultureInfo.InvariantCulture, $"processes: at most {Policy.MaxProcesses} at once (cgroup v1 pids.max)"));
            cgroupControllers.Add("pids");
        }
        else if (LimitsProcessesByRlimit)
        {
            inForce.Add(string.Create(CultureInfo.InvariantCulture, $"processes: at most {Policy.MaxProcesses} at once (RLIMIT_NPROC in the sandbox's own user namespace)"));
        }
        else if (Policy.MaxProcesses is null)
        {
            missing.Add("processes: not limited (SandboxPolicy.MaxProcesses is null)");
        }
        else
        {
            var why = Host.IsRoot
                ? "this process runs as root, to which the kernel does not apply RLIMIT_NPROC"
                : OwnUserNamespace ? "prlimit was not found" : "without a user namespace of its own RLIMIT_NPROC would count every process of this user";
            missing.Add($"processes: not limited: {why}, and no pids cgroup can be used ({Host.Cgroups.PidsProblem})");
        }

        if (LimitsMemoryByCgroup)
        {
            inForce.Add($"memory: at most {SandboxLauncher.Bytes(Policy.MaxMemoryBytes!.Value)} resident for the whole sandbox, scratch files included (cgroup v1 memory.limit_in_bytes)");
            cgroupControllers.Add("memory");
        }
        else if (Policy.MaxMemoryBytes is null)
        {
            missing.Add("memory: the sandbox's total memory is not limited (SandboxPolicy.MaxMemoryBytes is null)");
        }
        else
        {
            missing.Add($"memory: the sandbox's total memory is not limited: no memory cgroup can be used ({Host.Cgroups.MemoryProblem}); only the address space of each process is");
        }

        DescribeLimit(inForce, missing, "address space", Policy.MaxAddressSpaceBytes is { } space ? $"at most {SandboxLauncher.Bytes(space)} per process (RLIMIT_AS): a larger allocation fails at once" : null, nameof(SandboxPolicy.MaxAddressSpaceBytes));
        DescribeLimit(inForce, missing, "CPU time", Policy.MaxCpuTime is { } cpu ? $"at most {SandboxLauncher.Duration(cpu)} per process (RLIMIT_CPU, then SIGXCPU)" : null, nameof(SandboxPolicy.MaxCpuTime));
        DescribeLimit(inForce, missing, "file size", Policy.MaxFileSizeBytes is { } size ? $"at most {SandboxLauncher.Bytes(size)} per file (RLIMIT_FSIZE, then EFBIG)" : null, nameof(SandboxPolicy.MaxFileSizeBytes));
        DescribeLimit(inForce, missing, "open files", Policy.MaxOpenFiles is { } files ? string.Create(CultureInfo.InvariantCulture, $"at most {files} per process (RLIMIT_NOFILE)") : null, nameof(SandboxPolicy.MaxOpenFiles));
        missing.Add("disk: the total size of what a process writes to its working folder is not limited (no quota is set); each file is limited by the file size limit"
            + (PrivateScratch ? " and each scratch folder by its size" : string.Empty));

        var mechanism = MechanismName + " + rlimits";

        if (cgroupControllers.Count > 0)
        {
            mechanism += $" + cgroup v1 ({string.Join(", ", cgroupControllers)})";
        }

        return new SandboxReport { Mechanism = mechanism, InForce = inForce, Missing = missing };
    }

    private void DescribeLimit(List<string> inForce, List<string> missing, string what, string? limit, string option)
    {
        if (limit is null)
        {
            missing.Add($"{what}: not limited (SandboxPolicy.{option} is null)");
        }
        else
        {
            inForce.Add($"{what}: {limit}");
        }
    }
}
