using System.Runtime.InteropServices;

namespace Genesis.Execution;

/// <summary>
/// Kills process groups and processes. A child leads its own process group (<see cref="SpawnedChild"/> starts it with
/// <c>POSIX_SPAWN_SETSID</c>; the fallback launches it through <c>setsid</c>, which, called from a process that is not a
/// group leader, as a freshly forked child never is, makes itself a session and group leader and then execs the program
/// in place), so the child's pid is its group id and <c>kill(-pgid, SIGKILL)</c> reaches every descendant that did not
/// leave the group, even those already orphaned.
/// </summary>
internal static partial class ProcessTree
{
    private const int SigKill = 9;

    private static readonly string? SetsidPath = FindSetsid();

    /// <summary>The <c>setsid</c> program children are launched through, or <see langword="null"/> when not used.</summary>
    public static string? Setsid => SetsidPath;

    /// <summary>Sends SIGKILL to every member of process group <paramref name="groupId"/>; returns whether the signal was sent.</summary>
    public static bool KillGroup(int groupId)
    {
        if (!OperatingSystem.IsLinux() || groupId <= 1)
        {
            return false;
        }

        try
        {
            return SysKill(-groupId, SigKill) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGKILL to the single process <paramref name="pid"/>; returns whether the signal was sent.</summary>
    public static bool KillProcess(int pid)
    {
        if (!OperatingSystem.IsLinux() || pid <= 1)
        {
            return false;
        }

        try
        {
            return SysKill(pid, SigKill) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var candidate in (ReadOnlySpan<string>)["/usr/bin/setsid", "/bin/setsid"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
