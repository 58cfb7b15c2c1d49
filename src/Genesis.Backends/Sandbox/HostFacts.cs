using System.Diagnostics;
using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// What this machine offers a sandbox, found once per process: the tools (<c>bwrap</c>, <c>unshare</c>, <c>prlimit</c>,
/// <c>setpriv</c>, <c>env</c>, <c>sh</c>), whether the namespace tools actually work here (a container may forbid user
/// namespaces), whether the process runs as root, and which cgroup controllers it can use.
/// </summary>
internal sealed class HostFacts
{
    private static readonly Lazy<HostFacts> Detected = new(Detect, LazyThreadSafetyMode.ExecutionAndPublication);

    private HostFacts()
    {
    }

    /// <summary>The facts of this machine, detected on first use.</summary>
    public static HostFacts Current => Detected.Value;

    /// <summary>Whether this is Linux, the only system with the namespaces and limits used here.</summary>
    public bool IsLinux { get; private init; }

    /// <summary>Whether the process runs as root (effective uid 0), to which the kernel does not apply <c>RLIMIT_NPROC</c>.</summary>
    public bool IsRoot { get; private init; }

    /// <summary>The host's home folder (<c>HOME</c>), or <see langword="null"/>.</summary>
    public string? Home { get; private init; }

    /// <summary>A POSIX shell, normally <c>/bin/sh</c>.</summary>
    public string? Shell { get; private init; }

    /// <summary><c>env</c>, which starts a program with an exact environment.</summary>
    public string? Env { get; private init; }

    /// <summary><c>prlimit</c> (util-linux), which sets resource limits and then runs a program.</summary>
    public string? Prlimit { get; private init; }

    /// <summary><c>setpriv</c> (util-linux), which drops capabilities before running a program.</summary>
    public string? Setpriv { get; private init; }

    /// <summary><c>bwrap</c>, or <see langword="null"/>.</summary>
    public string? Bubblewrap { get; private init; }

    /// <summary>The version <c>bwrap --version</c> printed, for example <c>0.8.0</c>.</summary>
    public string? BubblewrapVersion { get; private init; }

    /// <summary>Why bubblewrap cannot be used here, or <see langword="null"/> when it can.</summary>
    public string? BubblewrapProblem { get; private init; }

    /// <summary>Whether this bubblewrap knows <c>--disable-userns</c> (0.8.0 and later).</summary>
    public bool BubblewrapDisablesUserNamespaces { get; private init; }

    /// <summary><c>unshare</c>, or <see langword="null"/>.</summary>
    public string? Unshare { get; private init; }

    /// <summary>Why <c>unshare</c> cannot be used here, or <see langword="null"/> when it can.</summary>
    public string? UnshareProblem { get; private init; }

    /// <summary><c>mount</c>, used by the <c>unshare</c> sandbox.</summary>
    public string? Mount { get; private init; }

    /// <summary>
    /// The hard resource limits of this process by <c>prlimit</c> option name (<c>as</c>, <c>cpu</c>, <c>fsize</c>,
    /// <c>nofile</c>, <c>nproc</c>), where they are finite: a child cannot raise a limit past them unless it runs as root.
    /// </summary>
    public IReadOnlyDictionary<string, long> HardLimits { get; private init; } = new Dictionary<string, long>();

    /// <summary>The cgroup controllers this process can create child groups in.</summary>
    public CgroupFacts Cgroups { get; private init; } = CgroupFacts.None("not detected");

    private static HostFacts Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new HostFacts
            {
                BubblewrapProblem = "this is not Linux",
                UnshareProblem = "this is not Linux",
                Cgroups = CgroupFacts.None("this is not Linux"),
            };
        }

        var path = Environment.GetEnvironmentVariable("PATH");
        var shell = Find("sh", path);
        var env = Find("env", path);
        var prlimit = Find("prlimit", path);
        var setpriv = Find("setpriv", path);
        var mount = Find("mount", path);
        var bwrap = Find("bwrap", path);
        var unshare = Find("unshare", path);

        string? bwrapVersion = null;
        string? bwrapProblem;
        var disablesUserNamespaces = false;
        if (bwrap is null)
        {
            bwrapProblem = "bwrap was not found on PATH (install the bubblewrap package)";
        }
        else
        {
            var version = Run(bwrap, ["--version"]);
            bwrapVersion = version.ExitCode == 0 ? version.Output.Replace("bubblewrap", string.Empty, StringComparison.Ordinal).Trim() : null;
            disablesUserNamespaces = bwrapVersion is not null && AtLeast(bwrapVersion, 0, 8);
            string[] probe =
            [
                "--die-with-parent", "--unshare-user", "--uid", "65534", "--gid", "65534", "--unshare-pid", "--unshare-net",
                "--unshare-ipc", "--unshare-uts", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--perms", "1777", "--size", "1048576", "--tmpfs", "/tmp", "--clearenv", "--", shell ?? "/bin/sh", "-c", "exit 0",
            ];
            var run = Run(bwrap, probe);
            bwrapProblem = run.ExitCode == 0 ? null : $"bwrap {bwrapVersion} does not work here (exit code {run.ExitCode}: {run.Output.Trim()})";
        }

        string? unshareProblem;
        if (unshare is null)
        {
            unshareProblem = "unshare was not found on PATH (install util-linux)";
        }
        else if (setpriv is null || mount is null)
        {
            unshareProblem = "setpriv or mount (util-linux) was not found on PATH";
        }
        else
        {
            var run = Run(unshare, ["--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc", "--ipc", "--uts", "--", shell ?? "/bin/sh", "-c", "exit 0"]);
            unshareProblem = run.ExitCode == 0 ? null : $"unshare does not work here (exit code {run.ExitCode}: {run.Output.Trim()})";
        }

        var home = Environment.GetEnvironmentVariable("HOME");
        return new HostFacts
        {
            IsLinux = true,
            IsRoot = Environment.IsPrivilegedProcess,
            Home = string.IsNullOrEmpty(home) || !Path.IsPathRooted(home) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(home)),
            Shell = shell,
            Env = env,
            Prlimit = prlimit,
            Setpriv = setpriv,
            Mount = mount,
            Bubblewrap = bwrap,
            BubblewrapVersion = bwrapVersion,
            BubblewrapProblem = bwrapProblem,
            BubblewrapDisablesUserNamespaces = disablesUserNamespaces,
            Unshare = unshare,
            UnshareProblem = unshareProblem,
            HardLimits = ReadHardLimits(),
            Cgroups = CgroupFacts.Detect(),
        };
    }

    private static Dictionary<string, long> ReadHardLimits()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Max cpu time"] = "cpu",
            ["Max file size"] = "fsize",
            ["Max processes"] = "nproc",
            ["Max open files"] = "nofile",
            ["Max address space"] = "as",
        };
        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadAllLines("/proc/self/limits"))
            {
                var columns = line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (columns.Length >= 3 && names.TryGetValue(columns[0], out var name)
                    && long.TryParse(columns[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hard))
                {
                    limits[name] = hard;
                }
            }
        }
        catch (IOException)
        {
            // No /proc: no known limits.
        }

        return limits;
    }

    private static string? Find(string name, string? path)
    {
        var found = ProgramLocator.Resolve(name, "/", path, out _);
        if (found is not null)
        {
            return found;
        }

        foreach (var folder in (ReadOnlySpan<string>)["/usr/bin", "/bin", "/usr/sbin", "/sbin"])
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool AtLeast(string version, int major, int minor)
    {
        var parts = version.Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            && (a > major || (a == major && b >= minor));
    }

    /// <summary>Runs a probe to its end (at most 20 seconds) and returns its exit code and its output, both streams merged.</summary>
    private static (int ExitCode, string Output) Run(string program, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "the probe did not finish within 20 seconds");
            }

            return (process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
