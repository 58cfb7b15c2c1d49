using System.Diagnostics;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Slurm;

/// <summary>The job scripts and the records they leave, read without a cluster (bash runs the scripts directly).</summary>
public sealed class SlurmJobRecordsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("'; echo injected; '")]
    [InlineData("$HOME `date` $(id) \\ \" * ?")]
    [InlineData("two\nlines")]
    [InlineData("")]
    public void Quoting_survives_bash(string text)
    {
        var (code, output) = SlurmCluster.Run("bash", "-c", $"printf %s {SlurmJobScript.Quote(text)}");

        Assert.Equal(0, code);
        Assert.Equal(text, output);
    }

    [Fact]
    public void A_task_script_run_by_bash_records_start_output_and_exit_code()
    {
        var task = _folder.Folder("task");
        var work = _folder.Folder("work dir");
        var script = SlurmJobScript.WriteTask(
            task,
            new ProcessRequest
            {
                FileName = "sh",
                Arguments = ["-c", "cat; echo \"$A/$B\"; echo oops >&2; exit 4"],
                WorkingDirectory = work,
                Environment = new Dictionary<string, string?> { ["A"] = "x y", ["B.C"] = "ignored by sh", ["B"] = "z" },
                StandardInput = "input\n",
            },
            attempt: 1);

        var (code, _) = SlurmCluster.Run("bash", script);

        Assert.Equal(4, code);
        Assert.Equal("input\nx y/z\n", File.ReadAllText(Path.Combine(task, "stdout")));
        Assert.Equal("oops\n", File.ReadAllText(Path.Combine(task, "stderr")));
        Assert.NotNull(SlurmJobFiles.ReadStarted(task));
        var exit = SlurmJobFiles.ReadExit(task);
        Assert.NotNull(exit);
        Assert.Equal(4, exit.ExitCode);
        Assert.Null(exit.Signal);
        Assert.True(exit.EndTime >= SlurmJobFiles.ReadStarted(task));
        Assert.Null(SlurmJobFiles.ReadStartError(task));
    }

    [Fact]
    public async Task A_task_script_stopped_by_SIGTERM_records_the_signal()
    {
        var task = _folder.Folder("task");
        var script = SlurmJobScript.WriteTask(task, new ProcessRequest { FileName = "sleep", Arguments = ["300"], WorkingDirectory = _folder.Path }, attempt: 1);
        using var bash = Process.Start("bash", [script]);
        await Processes.WaitUntilAsync(() => SlurmJobFiles.ReadStarted(task) is not null && SlurmCluster.Run("pgrep", "-P", bash.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code == 0, "the script to start its program");

        // Slurm signals every process of the job: the script and its program.
        var pid = bash.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SlurmCluster.Run("kill", "-TERM", pid);
        SlurmCluster.Run("pkill", "-TERM", "-P", pid);
        await bash.WaitForExitAsync();

        var exit = SlurmJobFiles.ReadExit(task);
        Assert.NotNull(exit);
        Assert.Null(exit.ExitCode);
        Assert.Equal("TERM", exit.Signal);
    }

    [Fact]
    public void A_missing_program_or_working_folder_is_recorded_as_a_start_error()
    {
        var missingProgram = _folder.Folder("a");
        var missingFolder = _folder.Folder("b");
        SlurmCluster.Run("bash", SlurmJobScript.WriteTask(missingProgram, new ProcessRequest { FileName = "genesis-no-such-program", WorkingDirectory = _folder.Path }, 1));
        SlurmCluster.Run("bash", SlurmJobScript.WriteTask(missingFolder, new ProcessRequest { FileName = "true", WorkingDirectory = _folder.File("gone") }, 1));

        Assert.StartsWith("program 'genesis-no-such-program' was not found on PATH on node ", SlurmJobFiles.ReadStartError(missingProgram));
        Assert.Equal(127, SlurmJobFiles.ReadExit(missingProgram)!.ExitCode);
        Assert.StartsWith($"the working folder {_folder.File("gone")} is not visible on node ", SlurmJobFiles.ReadStartError(missingFolder));
    }

    [Theory]
    [InlineData("exit 0 1795306367.170597\n", 0, null)]
    [InlineData("exit 137 1795306367,170597\n", 137, null)]
    [InlineData("signal TERM 1795306367.1\n", null, "TERM")]
    public void Exit_records_are_parsed(string text, int? code, string? signal)
    {
        File.WriteAllText(_folder.File("exit"), text);

        var exit = SlurmJobFiles.ReadExit(_folder.Path);

        Assert.NotNull(exit);
        Assert.Equal(code, exit.ExitCode);
        Assert.Equal(signal, exit.Signal);
        Assert.Equal(1795306367.1, exit.EndTime!.Value, 0.1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exit 0")]
    [InlineData("exit\n")]
    [InlineData("nonsense 1 2\n")]
    public void Incomplete_exit_records_are_not_read_yet(string text)
    {
        File.WriteAllText(_folder.File("exit"), text);

        Assert.Null(SlurmJobFiles.ReadExit(_folder.Path));
    }

    [Fact]
    public void Output_files_are_read_up_to_the_cap_without_cutting_a_character()
    {
        File.WriteAllText(_folder.File("out"), "ab→cd");

        Assert.Equal(("ab→cd", false), SlurmJobFiles.ReadCapped(_folder.File("out"), 100));
        Assert.Equal(("ab", true), SlurmJobFiles.ReadCapped(_folder.File("out"), 3));
        Assert.Equal((string.Empty, false), SlurmJobFiles.ReadCapped(_folder.File("missing"), 3));
    }

    [Fact]
    public void Squeue_lines_are_parsed_by_job_and_array_task()
    {
        var states = SlurmJobMonitor.ParseQueue("13_0|RUNNING|None\n13_4|PENDING|Resources\n18|CANCELLED|None\n\n");

        Assert.Equal(("RUNNING", "None"), states["13_0"]);
        Assert.Equal(("PENDING", "Resources"), states["13_4"]);
        Assert.Equal(("CANCELLED", "None"), states["18"]);
        Assert.Equal(3, states.Count);
    }

    [Theory]
    [InlineData("CANCELLED", false, SlurmJobFailure.Lost)]
    [InlineData(null, false, SlurmJobFailure.Lost)]
    [InlineData(null, true, SlurmJobFailure.Lost)]
    [InlineData("NODE_FAIL", false, SlurmJobFailure.NodeFailure)]
    [InlineData("BOOT_FAIL", false, SlurmJobFailure.NodeFailure)]
    [InlineData("PREEMPTED", true, SlurmJobFailure.Preempted)]
    [InlineData("TIMEOUT", true, SlurmJobFailure.TimeLimit)]
    [InlineData("DEADLINE", false, SlurmJobFailure.TimeLimit)]
    [InlineData("OUT_OF_MEMORY", false, SlurmJobFailure.OutOfMemory)]
    [InlineData("COMPLETED", false, SlurmJobFailure.LaunchFailed)]
    [InlineData("FAILED", false, SlurmJobFailure.LaunchFailed)]
    [InlineData("FAILED", true, SlurmJobFailure.Lost)]
    public void Finished_states_without_an_exit_code_are_classified(string? state, bool signalled, SlurmJobFailure failure)
    {
        Assert.Equal(failure, SlurmJobMonitor.Classify(state, signalled).Failure);
        if (state is not null)
        {
            Assert.True(SlurmJobMonitor.IsFinished(state));
        }
    }

    [Theory]
    [InlineData("PENDING")]
    [InlineData("RUNNING")]
    [InlineData("COMPLETING")]
    [InlineData("CONFIGURING")]
    [InlineData("SUSPENDED")]
    public void Active_states_are_not_finished(string state) => Assert.False(SlurmJobMonitor.IsFinished(state));
}
