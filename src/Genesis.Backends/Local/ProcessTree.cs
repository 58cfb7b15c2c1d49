using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Genesis.Execution;

/// <summary>
/// Starts children as leaders of their own process group and kills whole trees. On Linux a child is launched through
/// <c>setsid</c>, which (called from a process that is not a group leader, as a freshly forked child never is) makes
/// itself a session and group leader and then execs the program in place, so the child's pid is its group id and
/// <c>kill(-pgid, SIGKILL)</c> reaches every descendant that did not leave the group, even those already orphaned.
/// </summary>
internal static partial class ProcessTree
{
    private const int SigKill = 9;

    private static readonly string? SetsidPath = FindSetsid();

    /// <summary>The <c>setsid</c> program children are launched through, or <see langword="null"/> when not used.</summary>
    public static string? Setsid => SetsidPath;

    /// <summary>Kills the process group <paramref name="groupId"/> (if one is used) and then the tree under <paramref name="process"/>.</summary>
    public static void Kill(Process process, int groupId, bool ownGroup)
    {
        if (ownGroup)
        {
            KillGroup(groupId);
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited and reaped.
        }
        catch (Win32Exception)
        {
            // Exited while being killed, or not ours to kill any more.
        }
        catch (NotSupportedException)
        {
            // A platform without tree kill; the group kill above did the work where it could.
        }
    }

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
