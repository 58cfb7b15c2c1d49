using System.Text;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Sandbox;

/// <summary>
/// What the sandbox tests share: the sandboxes under test (bubblewrap must work here: these tests fail, they never skip,
/// when it does not, in CI as elsewhere), requests for hostile candidates, and checks that no process of a run survives.
/// </summary>
internal static class SandboxTestSupport
{
    /// <summary>The mechanisms every hostile candidate is run under: bubblewrap and the unshare fallback.</summary>
    public static TheoryData<SandboxMechanism> Mechanisms => new() { SandboxMechanism.Bubblewrap, SandboxMechanism.Unshare };

    /// <summary>A sandbox of <paramref name="mechanism"/>; fails the test, naming what to install, when the mechanism does not work here.</summary>
    public static ISandbox Create(SandboxMechanism mechanism, SandboxPolicy? policy = null)
    {
        var host = HostFacts.Current;
        var problem = mechanism switch
        {
            SandboxMechanism.Bubblewrap => host.BubblewrapProblem,
            SandboxMechanism.Unshare => host.UnshareProblem,
            _ => null,
        };
        if (problem is not null)
        {
            var ci = Environment.GetEnvironmentVariable("CI");
            Assert.Fail($"The sandbox tests need {mechanism} on this machine (CI={ci ?? "unset"}): {problem}. scripts/test.sh installs bubblewrap (apt-get install -y bubblewrap).");
        }

        return Sandboxes.Create(mechanism, policy);
    }

    /// <summary>A sandboxed backend of <paramref name="mechanism"/> running one process at a time.</summary>
    public static LocalProcessBackend Backend(SandboxMechanism mechanism, SandboxPolicy? policy = null, TimeProvider? clock = null) =>
        new(new LocalBackendOptions { MaxParallelism = 1, Sandbox = Create(mechanism, policy), TimeProvider = clock ?? TimeProvider.System });

    /// <summary>
    /// A Python candidate run in <paramref name="folder"/>. <paramref name="marker"/> is passed as the last argument, so
    /// that the run's processes can be found on the host (<see cref="Running"/>) whatever pid namespace they are in.
    /// </summary>
    public static ProcessRequest Python(string folder, string script, string marker, TimeSpan? timeout = null) => new()
    {
        FileName = "python3",
        Arguments = ["-c", script, marker],
        WorkingDirectory = folder,
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
    };

    /// <summary>A shell candidate run in <paramref name="folder"/>, with <paramref name="marker"/> as <c>$1</c>.</summary>
    public static ProcessRequest Shell(string folder, string script, string marker, TimeSpan? timeout = null) => new()
    {
        FileName = "/bin/sh",
        Arguments = ["-c", script, "candidate", marker],
        WorkingDirectory = folder,
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
    };

    /// <summary>A marker unique to one test run.</summary>
    public static string NewMarker() => "genesis-sandbox-test-" + Guid.NewGuid().ToString("N");

    /// <summary>The host pids of the live (not zombie) processes whose command line contains <paramref name="marker"/>.</summary>
    public static List<int> Running(string marker)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(folder, "cmdline")));
                if (commandLine.Contains(marker, StringComparison.Ordinal) && Processes.IsRunning(pid))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not readable: not one of ours.
            }
        }

        return found;
    }

    /// <summary>Waits until no process with <paramref name="marker"/> runs on the host; fails the test if some survive.</summary>
    public static Task WaitUntilNoneRunAsync(string marker) =>
        Processes.WaitUntilAsync(() => Running(marker).Count == 0, $"every process of the run marked {marker} to be gone");

    /// <summary>
    /// The host and the next run are fine after a hostile candidate: nothing of its run is left, and a plain candidate
    /// on the same backend runs to success.
    /// </summary>
    public static async Task AssertTheNextRunIsFineAsync(LocalProcessBackend backend, string folder, string marker)
    {
        await WaitUntilNoneRunAsync(marker);
        var next = await backend.RunAsync(Python(folder, "print('next run fine')", NewMarker()));
        Assert.True(next.Succeeded, $"exit {next.ExitCode}, start error {next.StartError}: {next.StandardError}");
        Assert.Equal("next run fine\n", next.StandardOutput);
        Assert.DoesNotContain(SandboxLauncher.NotePrefix, next.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The sandbox's notes on standard error (the limits that stopped the process), one per line.</summary>
    public static List<string> Notes(ProcessOutcome outcome) =>
        [.. outcome.StandardError.Split('\n').Where(line => line.StartsWith(SandboxLauncher.NotePrefix, StringComparison.Ordinal))];

    /// <summary>A description of an outcome for assertion messages.</summary>
    public static string Describe(ProcessOutcome outcome) =>
        $"exit {outcome.ExitCode}, timed out {outcome.TimedOut}, start error {outcome.StartError}\nstdout: {outcome.StandardOutput}\nstderr: {outcome.StandardError}";
}
