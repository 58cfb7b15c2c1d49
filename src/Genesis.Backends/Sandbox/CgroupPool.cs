using System.Collections.Concurrent;
using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// The cgroups of one sandbox, created with the policy's limits when a run needs one and none is idle, and reused by
/// the next run once empty; removed when this process exits. A group that does not empty (a process in uninterruptible
/// sleep) is removed instead of reused.
/// </summary>
internal sealed class CgroupPool
{
    private static readonly ConcurrentDictionary<CgroupRun, byte> Created = new();
    private static int _removeAtExit;

    private readonly CgroupFacts _facts;
    private readonly string? _processes;
    private readonly string? _memory;
    private readonly ConcurrentBag<CgroupRun> _idle = [];

    /// <summary>A pool of groups limiting the processes to <paramref name="processes"/> and the memory to <paramref name="memoryBytes"/> (each used when not <see langword="null"/>).</summary>
    public CgroupPool(CgroupFacts facts, int? processes, long? memoryBytes)
    {
        _facts = facts;
        _processes = processes?.ToString(CultureInfo.InvariantCulture);
        _memory = memoryBytes?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An empty group for a run, or <see cref="CgroupRun.None"/> when no controller is used.</summary>
    public CgroupRun Rent()
    {
        if (_processes is null && _memory is null)
        {
            return CgroupRun.None;
        }

        if (_idle.TryTake(out var idle))
        {
            return idle;
        }

        var named = _facts.NewRun(_processes is not null, _memory is not null);
        var run = named with { Pooled = true };
        try
        {
            if (run.PidsFolder is not null)
            {
                Directory.CreateDirectory(run.PidsFolder);
                File.WriteAllText(Path.Combine(run.PidsFolder, "pids.max"), _processes);
            }

            if (run.MemoryFolder is not null)
            {
                Directory.CreateDirectory(run.MemoryFolder);
                File.WriteAllText(Path.Combine(run.MemoryFolder, "memory.limit_in_bytes"), _memory);
                var swap = Path.Combine(run.MemoryFolder, "memory.memsw.limit_in_bytes");
                if (File.Exists(swap))
                {
                    TryWrite(swap, _memory!);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leave the groups to the launcher, which creates them itself or refuses to run without them.
            Remove(run);
            return named;
        }

        Created.TryAdd(run, 0);
        if (Interlocked.Exchange(ref _removeAtExit, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();
        }

        return run;
    }

    /// <summary>
    /// Takes a run's groups back once the run's processes are gone (killing what is left), or removes them. Completes at
    /// once: a group whose killed processes are still exiting is taken back (or removed) in the background.
    /// </summary>
    public ValueTask ReturnAsync(CgroupRun run)
    {
        if (ReferenceEquals(run, CgroupRun.None))
        {
            return ValueTask.CompletedTask;
        }

        if (!run.Pooled)
        {
            return CgroupFacts.ReleaseAsync(run);
        }

        if (Empty(run.PidsFolder) && Empty(run.MemoryFolder))
        {
            _idle.Add(run);
            return ValueTask.CompletedTask;
        }

        _ = Task.Run(() => ReturnWhenEmptyAsync(run));
        return ValueTask.CompletedTask;
    }

    private async Task ReturnWhenEmptyAsync(CgroupRun run)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await Task.Delay(10).ConfigureAwait(false);
            if (Empty(run.PidsFolder) && Empty(run.MemoryFolder))
            {
                _idle.Add(run);
                return;
            }
        }

        Created.TryRemove(run, out _);
        await CgroupFacts.ReleaseAsync(run).ConfigureAwait(false);
    }

    private static bool Empty(string? folder)
    {
        if (folder is null)
        {
            return true;
        }

        try
        {
            var members = File.ReadAllLines(Path.Combine(folder, "cgroup.procs"));
            foreach (var member in members)
            {
                if (int.TryParse(member, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    ProcessTree.KillProcess(pid);
                }
            }

            return members.Length == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void RemoveAll()
    {
        foreach (var run in Created.Keys)
        {
            Remove(run);
        }

        CgroupFacts.SweepLeftovers();
    }

    private static void Remove(CgroupRun run)
    {
        foreach (var folder in (string?[])[run.PidsFolder, run.MemoryFolder])
        {
            if (folder is not null && Directory.Exists(folder))
            {
                CgroupFacts.TryRemove(folder);
            }
        }
    }

    private static void TryWrite(string file, string value)
    {
        try
        {
            File.WriteAllText(file, value);
        }
        catch (IOException)
        {
            // Swap accounting is off: the memory limit alone applies.
        }
    }
}
