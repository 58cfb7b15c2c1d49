using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Slurm;

/// <summary>
/// Hand-written stand-ins for Slurm's commands (bash scripts in a folder given as
/// <see cref="SlurmBackendOptions.SlurmBinDirectory"/>), driven by files the test writes: <c>sbatch</c> hands out job
/// ids from 100 (one call at a time, as the controller would) and runs nothing, <c>squeue</c> prints the queue the test
/// set, <c>sacct</c> and <c>scontrol</c> print what the test set or fail. Calls are logged. The test plays the job by writing its records into its folder.
/// </summary>
internal sealed class FakeSlurm : IDisposable
{
    private readonly TempFolder _folder = new();

    public FakeSlurm()
    {
        Bin = _folder.Folder("bin");
        Command("sbatch", """
            exec 9>"$dir/sbatch.lock"
            flock 9
            printf '%s\n' "$*" >> "$dir/sbatch.log"
            for argument in "$@"; do last="$argument"; done
            if [ -f "$dir/sbatch.fail" ]; then cat "$dir/sbatch.fail" >&2; exit 1; fi
            id=$(cat "$dir/next" 2>/dev/null || echo 100)
            echo $((id + 1)) > "$dir/next"
            printf '%s\n' "$last" >> "$dir/scripts.log"
            echo "$id;fake"
            """);
        Command("squeue", """
            printf '%s\n' "$*" >> "$dir/squeue.log"
            if [ -f "$dir/squeue.fail" ]; then cat "$dir/squeue.fail" >&2; exit 1; fi
            cat "$dir/queue" 2>/dev/null
            exit 0
            """);
        Command("scancel", """printf '%s\n' "$*" >> "$dir/scancel.log" """);
        Command("scontrol", """cat "$dir/scontrol.out" 2>/dev/null || { echo "Invalid job id specified" >&2; exit 1; }""");
        Command("sacct", """
            printf '%s\n' "$*" >> "$dir/sacct.log"
            if [ -f "$dir/sacct.out" ]; then cat "$dir/sacct.out"; else echo "Slurm accounting storage is disabled" >&2; exit 1; fi
            """);
        Command("sinfo", """if [ "$1" = --version ]; then echo "slurm 0.0-fake"; else echo "debug*|up|1|idle"; fi""");
        RunFolder = _folder.Folder("run");
        WorkingDirectory = _folder.Folder("work");
    }

    public string Bin { get; }

    public string RunFolder { get; }

    public string WorkingDirectory { get; }

    /// <summary>Options that use the fake commands, poll fast and wait a short grace.</summary>
    public SlurmBackendOptions Options() => new()
    {
        SlurmBinDirectory = Bin,
        RunFolder = RunFolder,
        PollInterval = TimeSpan.FromMilliseconds(20),
        BatchWindow = TimeSpan.Zero,
        LostJobGrace = TimeSpan.FromMilliseconds(300),
        Retry = new SlurmRetryPolicy { MaxAttempts = 1, Delay = TimeSpan.Zero },
    };

    public ProcessRequest Request() => new() { FileName = "true", WorkingDirectory = WorkingDirectory };

    /// <summary>Sets what squeue prints, one <c>id|STATE|reason</c> line per job.</summary>
    public void Queue(params string[] lines) => WriteAtomically("queue", string.Join('\n', lines) + "\n");

    /// <summary>Makes squeue fail (null) or answer again.</summary>
    public void SqueueFails(string? error)
    {
        if (error is null)
        {
            File.Delete(Path.Combine(Bin, "squeue.fail"));
        }
        else
        {
            WriteAtomically("squeue.fail", error);
        }
    }

    public void Sacct(string text) => WriteAtomically("sacct.out", text);

    public void Scontrol(string text) => WriteAtomically("scontrol.out", text);

    public void SbatchFails(string error) => WriteAtomically("sbatch.fail", error);

    public IReadOnlyList<string> Log(string command)
    {
        var path = Path.Combine(Bin, $"{command}.log");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>Waits for the <paramref name="count"/>-th sbatch call and returns the script it submitted.</summary>
    public async Task<string> SubmittedAsync(int count)
    {
        await Processes.WaitUntilAsync(() => Log("scripts").Count >= count, $"sbatch call {count}");
        return Log("scripts")[count - 1];
    }

    /// <summary>Plays the job whose script is <paramref name="script"/> (or task <paramref name="task"/> of its array): it started, and ends with <paramref name="record"/>.</summary>
    public static void Record(string script, string record, int? task = null)
    {
        var folder = task is { } index ? Path.Combine(Path.GetDirectoryName(script)!, index.ToString(System.Globalization.CultureInfo.InvariantCulture)) : Path.GetDirectoryName(script)!;
        File.WriteAllText(Path.Combine(folder, "started"), "1795306367.000000\n");
        if (record.Length > 0)
        {
            File.WriteAllText(Path.Combine(folder, "exit.tmp"), record + " 1795306368.500000\n");
            File.Move(Path.Combine(folder, "exit.tmp"), Path.Combine(folder, "exit"));
        }
    }

    public void Dispose() => _folder.Dispose();

    private void Command(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, $"#!/bin/bash\ndir='{Bin}'\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void WriteAtomically(string name, string text)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
