namespace Genesis.Execution.Tests.Support;

/// <summary>Helpers to observe real processes without timing assertions.</summary>
internal static class Processes
{
    /// <summary>How long to wait for something that should happen promptly before the test fails.</summary>
    public static readonly TimeSpan FailureDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Whether the process <paramref name="pid"/> still runs (a zombie, dead but not yet reaped, does not).</summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }

        // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X' or 'x');
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test if it does not within the failure deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + FailureDeadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until process <paramref name="pid"/> no longer runs. SIGKILL is delivered asynchronously: a killed process
    /// may close its pipes a moment before the kernel marks it dead, so the check polls; a process that was never
    /// killed fails the test at the failure deadline.
    /// </summary>
    public static Task WaitUntilGoneAsync(int pid) => WaitUntilAsync(() => !IsRunning(pid), $"process {pid} to be killed");

    /// <summary>Reads a pid a script wrote (atomically, by renaming) to <paramref name="file"/>.</summary>
    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Python code that writes the running process's pid to <paramref name="file"/> atomically.</summary>
    public static string WritePidPython(string file) =>
        $"open('{file}.tmp', 'w').write(str(os.getpid())); os.rename('{file}.tmp', '{file}')";
}
