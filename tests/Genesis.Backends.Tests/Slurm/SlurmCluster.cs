using System.Diagnostics;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Slurm;

/// <summary>
/// The real one-node Slurm cluster the Slurm tests run jobs on. When the controller does not answer, the fixture runs
/// <c>scripts/setup/slurm.sh</c> once (it starts the cluster as root when Slurm is installed, and says why not otherwise). When Slurm still is not
/// there, every test that needs it FAILS with the reason: in CI, and on a developer machine alike, a missing cluster
/// is a failure to fix, never a silent skip.
/// </summary>
public sealed class SlurmCluster
{
    public SlurmCluster()
    {
        Problem = Check();
        if (Problem is not null && FindSetupScript() is { } script)
        {
            var (code, output) = Run("bash", script);
            Problem = Check() is { } still ? $"{still}; scripts/setup/slurm.sh exited with code {code}: {output.Trim()}" : null;
        }
    }

    /// <summary>Why Slurm cannot be used here, or <see langword="null"/>.</summary>
    public string? Problem { get; }

    /// <summary>Fails the calling test when Slurm is missing, saying what to do.</summary>
    public void Require()
    {
        if (Problem is null)
        {
            return;
        }

        var ci = Environment.GetEnvironmentVariable("CI") == "true"
            ? "CI=true: CI must provide a Slurm cluster."
            : "The Slurm integration tests run real jobs and fail rather than skip without a cluster.";
        Assert.Fail($"Slurm is missing: {Problem}. Install the Debian packages slurm-wlm and munge and run scripts/setup/slurm.sh as root (scripts/test.sh does both). {ci}");
    }

    /// <summary>Options for a test: fast polling, a short grace, no retry delay, and a job name of its own.</summary>
    internal static SlurmBackendOptions Options(TempFolder folder, string jobName) => new()
    {
        JobName = jobName,
        RunFolder = folder.File("run"),
        PollInterval = TimeSpan.FromMilliseconds(100),
        BatchWindow = TimeSpan.Zero,
        LostJobGrace = TimeSpan.FromSeconds(2),
        Retry = new SlurmRetryPolicy { Delay = TimeSpan.Zero },
    };

    /// <summary>A job name no other test uses, for <see cref="JobsNamed"/>.</summary>
    public static string NewJobName() => $"genesis-test-{Guid.NewGuid():N}"[..24];

    /// <summary>The ids of the jobs named <paramref name="jobName"/> that Slurm still holds (pending, running, completing), one per array task.</summary>
    public static IReadOnlyList<string> JobsNamed(string jobName)
    {
        var (code, output) = Run("squeue", "--noheader", "--array", $"--name={jobName}", "--format=%i");
        Assert.True(code == 0, $"squeue failed: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Cancels every job named <paramref name="jobName"/> (clean-up after a test).</summary>
    public static void CancelAll(string jobName) => Run("scancel", $"--name={jobName}");

    /// <summary>Cancels one job, as a user or an administrator would, behind the backend's back.</summary>
    public static void Cancel(string jobId)
    {
        var (code, output) = Run("scancel", jobId);
        Assert.True(code == 0, $"scancel {jobId} failed: {output}");
    }

    /// <summary>Runs a command to its end; returns its exit code and its output and error together.</summary>
    public static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program} could not start: {e.Message}");
        }
    }

    private static string? Check()
    {
        var (code, output) = Run("sinfo", "--noheader", "--format=%T");
        if (code != 0)
        {
            return code == -1 ? "sinfo was not found on PATH" : $"the Slurm controller does not answer (sinfo: {output.Trim()})";
        }

        var states = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return states.Any(state => state.TrimEnd('~', '#', '!', '%', '$', '@', '^', '-') is "idle" or "mixed" or "allocated" or "completing")
            ? null
            : $"no node is up (sinfo: {string.Join(", ", states)})";
    }

    private static string? FindSetupScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "scripts", "setup", "slurm.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        return null;
    }
}

/// <summary>The Slurm tests share one cluster and run one after another, so that jobs of one test never wait behind another's.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "Slurm";
}
