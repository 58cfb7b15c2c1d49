using System.Collections.Concurrent;
using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// The cgroup v1 controllers (<c>pids</c>, <c>memory</c>) in which this process can create child groups: one group per
/// running sandbox, nested under the process's own group so that every limit above it still applies. This class finds
/// out whether that works here, names the groups, and removes what a killed launcher left behind; <see cref="CgroupPool"/>
/// creates them and reuses them run after run (creating and removing a cgroup costs milliseconds: its removal waits for
/// an RCU grace period).
/// </summary>
/// <remarks>
/// A cgroup v2 hierarchy is not used: creating limited child groups there needs a delegated subtree (the "no internal
/// processes" rule forbids enabling controllers for children of the group this process runs in).
/// </remarks>
internal sealed class CgroupFacts
{
    private const string Prefix = "genesis-";

    private static readonly ConcurrentDictionary<string, byte> Leftovers = new(StringComparer.Ordinal);
    private static long _sequence;
    private static int _sweepAtExit;

    private CgroupFacts(string? pidsBase, string? memoryBase, string? pidsProblem, string? memoryProblem)
    {
        PidsBase = pidsBase;
        MemoryBase = memoryBase;
        PidsProblem = pidsProblem;
        MemoryProblem = memoryProblem;
    }

    /// <summary>The folder of this process's pids cgroup, under which run groups are created, or <see langword="null"/>.</summary>
    public string? PidsBase { get; }

    /// <summary>The folder of this process's memory cgroup, under which run groups are created, or <see langword="null"/>.</summary>
    public string? MemoryBase { get; }

    /// <summary>Why no pids cgroup can be used, or <see langword="null"/>.</summary>
    public string? PidsProblem { get; }

    /// <summary>Why no memory cgroup can be used, or <see langword="null"/>.</summary>
    public string? MemoryProblem { get; }

    /// <summary>Facts saying that no controller can be used, for <paramref name="reason"/>.</summary>
    public static CgroupFacts None(string reason) => new(null, null, reason, reason);

    /// <summary>Finds the v1 <c>pids</c> and <c>memory</c> hierarchies and checks that a child group can be created in each.</summary>
    public static CgroupFacts Detect()
    {
        string[] mounts;
        string[] groups;
        try
        {
            mounts = File.ReadAllLines("/proc/self/mountinfo");
            groups = File.ReadAllLines("/proc/self/cgroup");
        }
        catch (IOException e)
        {
            return None($"the cgroup mounts could not be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return None($"the cgroup mounts could not be read: {e.Message}");
        }

        var (pids, pidsProblem) = Probe("pids", "pids.max", "max", mounts, groups);
        var (memory, memoryProblem) = Probe("memory", "memory.limit_in_bytes", "1073741824", mounts, groups);
        return new CgroupFacts(pids, memory, pidsProblem, memoryProblem);
    }

    /// <summary>Names a new, unique group in each usable controller (the host's pool or else the launcher creates them).</summary>
    public CgroupRun NewRun(bool pids, bool memory)
    {
        SweepLeftovers();
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid().ToString("N")[..8]}");
        return new CgroupRun(
            pids && PidsBase is not null ? Path.Combine(PidsBase, name) : null,
            memory && MemoryBase is not null ? Path.Combine(MemoryBase, name) : null);
    }

    /// <summary>
    /// Removes a run's groups if the launcher could not (it was killed on a timeout): kills what is still inside, then
    /// removes the group, retrying for up to two seconds while killed processes finish exiting; a group still busy then
    /// is kept for a later attempt (the next run, or the end of this process).
    /// </summary>
    public static async ValueTask ReleaseAsync(CgroupRun run)
    {
        foreach (var folder in (string?[])[run.PidsFolder, run.MemoryFolder])
        {
            if (folder is null)
            {
                continue;
            }

            var removed = false;
            for (var attempt = 0; attempt < 200 && !removed; attempt++)
            {
                removed = !Directory.Exists(folder) || TryRemove(folder);
                if (!removed)
                {
                    await Task.Delay(10).ConfigureAwait(false);
                }
            }

            if (!removed)
            {
                Leftovers.TryAdd(folder, 0);
                EnsureSweptAtExit();
            }
        }
    }

    private static void EnsureSweptAtExit()
    {
        if (Interlocked.Exchange(ref _sweepAtExit, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => SweepLeftovers();
        }
    }

    /// <summary>Retries the removal of groups whose processes were still exiting at their run's end.</summary>
    public static void SweepLeftovers()
    {
        foreach (var folder in Leftovers.Keys)
        {
            if (!Directory.Exists(folder) || TryRemove(folder))
            {
                Leftovers.TryRemove(folder, out _);
            }
        }
    }

    /// <summary>Kills every process in <paramref name="folder"/>'s group and removes the group; whether it is gone.</summary>
    internal static bool TryRemove(string folder)
    {
        try
        {
            foreach (var line in File.ReadAllLines(Path.Combine(folder, "cgroup.procs")))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    ProcessTree.KillProcess(pid);
                }
            }

            Directory.Delete(folder);
            return true;
        }
        catch (IOException)
        {
            return !Directory.Exists(folder);
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (string? Base, string? Problem) Probe(string controller, string limitFile, string value, string[] mounts, string[] groups)
    {
        var mount = FindMount(controller, mounts);
        if (mount is null)
        {
            return (null, $"no cgroup v1 '{controller}' hierarchy is mounted");
        }

        var own = FindOwnGroup(controller, groups);
        if (own is null)
        {
            return (null, $"this process's '{controller}' cgroup is not listed in /proc/self/cgroup");
        }

        var (mountPoint, mountRoot) = mount.Value;
        var relative = own.StartsWith(mountRoot, StringComparison.Ordinal) ? own[mountRoot.Length..] : own;
        var folder = Path.TrimEndingDirectorySeparator(mountPoint + "/" + relative.TrimStart('/'));
        RemoveStale(folder);
        var probe = Path.Combine(folder, $"{Prefix}probe-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            Directory.CreateDirectory(probe);
            try
            {
                File.WriteAllText(Path.Combine(probe, limitFile), value);
            }
            finally
            {
                Directory.Delete(probe);
            }

            return (folder, null);
        }
        catch (IOException e)
        {
            return (null, $"no child group can be created in {folder}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"no child group can be created in {folder}: {e.Message}");
        }
    }

    /// <summary>Removes empty run groups that a Genesis process which no longer runs left behind (it was killed mid-run).</summary>
    private static void RemoveStale(string folder)
    {
        try
        {
            foreach (var child in Directory.EnumerateDirectories(folder, Prefix + "*"))
            {
                var parts = Path.GetFileName(child)[Prefix.Length..].Split('-');
                var owner = parts[0] == "probe" && parts.Length > 1 ? parts[1] : parts[0];
                if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
                {
                    try
                    {
                        Directory.Delete(child);
                    }
                    catch (IOException)
                    {
                        // Still in use (a launcher of the dead process still runs): leave it.
                    }
                }
            }
        }
        catch (IOException)
        {
            // Not listable: nothing to clean.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to clean.
        }
    }

    private static (string MountPoint, string Root)? FindMount(string controller, string[] mounts)
    {
        foreach (var line in mounts)
        {
            // id parent major:minor root mount-point options [optional fields] - fstype source super-options
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var tail = line[(separator + 3)..].Split(' ');
            if (tail.Length < 3 || tail[0] != "cgroup" || !tail[2].Split(',').Contains(controller))
            {
                continue;
            }

            var head = line[..separator].Split(' ');
            if (head.Length >= 5)
            {
                return (Unescape(head[4]), Unescape(head[3]));
            }
        }

        return null;
    }

    private static string? FindOwnGroup(string controller, string[] groups)
    {
        foreach (var line in groups)
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller))
            {
                return parts[2];
            }
        }

        return null;
    }

    /// <summary>Decodes the octal escapes (<c>\040</c> for a space) of a path in <c>/proc/self/mountinfo</c>.</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text[start] is >= '0' and <= '7' && text[start + 1] is >= '0' and <= '7' && text[start + 2] is >= '0' and <= '7';
}

/// <summary>The cgroup folders of one sandboxed run (<see langword="null"/> where the controller is not used).</summary>
/// <param name="PidsFolder">The pids cgroup.</param>
/// <param name="MemoryFolder">The memory cgroup.</param>
/// <param name="Pooled">Whether the host created the groups, with their limits, to reuse them run after run.</param>
internal sealed record CgroupRun(string? PidsFolder, string? MemoryFolder, bool Pooled = false)
{
    /// <summary>No cgroup at all.</summary>
    public static readonly CgroupRun None = new(null, null);
}
