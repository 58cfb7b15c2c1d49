using System.ComponentModel;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Local;

/// <summary>How children are started: with posix_spawn on Linux, leading a new session, with default signals.</summary>
public sealed class ChildProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void On_this_Linux_machine_children_are_spawned_without_a_setsid_program() =>
        Assert.True(SpawnedChild.IsSupported);

    [Fact]
    public async Task A_child_leads_a_new_session_and_group_with_default_signal_dispositions_and_none_blocked()
    {
        var outcome = await Backends.Unsandboxed(1).RunAsync(new ProcessRequest
        {
            FileName = "/bin/sh",
            Arguments = ["-c", "cut -d' ' -f1,5,6 /proc/self/stat; grep -E '^(SigIgn|SigBlk)' /proc/self/status"],
            WorkingDirectory = _folder.Path,
        });

        Assert.True(outcome.Succeeded, outcome.StandardError);
        var lines = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // cut runs in the child's group and session, both named after the child (the shell), not after cut itself.
        var ids = lines[0].Split(' ');
        Assert.Equal(ids[1], ids[2]);
        Assert.NotEqual(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), ids[1]);
        Assert.Equal("SigBlk:\t0000000000000000", lines[1]);

        // No standard signal is ignored (the runtime ignores SIGPIPE). glibc's posix_spawn leaves its two internal
        // real-time signals (32 and 33) ignored, as for every program started with it; glibc re-arms them at start.
        Assert.StartsWith("SigIgn:\t", lines[2], StringComparison.Ordinal);
        var ignored = ulong.Parse(lines[2]["SigIgn:\t".Length..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0UL, ignored & 0x7FFF_FFFFUL);
    }

    [Fact]
    public async Task The_exit_code_and_a_killing_signal_are_reported_as_the_runtime_reports_them()
    {
        var backend = Backends.Unsandboxed(1);

        var exited = await backend.RunAsync(new ProcessRequest { FileName = "/bin/sh", Arguments = ["-c", "exit 42"], WorkingDirectory = _folder.Path });
        var killed = await backend.RunAsync(new ProcessRequest { FileName = "/bin/sh", Arguments = ["-c", "kill -9 $$"], WorkingDirectory = _folder.Path });

        Assert.Equal(42, exited.ExitCode);
        Assert.Equal(137, killed.ExitCode);
    }

    [Fact]
    public void A_program_that_cannot_be_executed_is_an_error_with_the_reason()
    {
        var script = _folder.Write("not-a-program", "plain text");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var error = Assert.Throws<Win32Exception>(() => ChildProcess.Start(script, [], _folder.Path, new Dictionary<string, string?>()));

        Assert.Equal(8, error.NativeErrorCode); // ENOEXEC
    }

    [Fact]
    public async Task The_environment_given_is_exactly_the_childs()
    {
        using var child = ChildProcess.Start("/usr/bin/env", [], _folder.Path, new Dictionary<string, string?> { ["ONLY"] = "this", ["DROPPED"] = null });
        child.StandardInput.Dispose();
        using var reader = new StreamReader(child.StandardOutput);

        var output = await reader.ReadToEndAsync();
        await child.WaitForExitAsync(CancellationToken.None);

        Assert.Equal("ONLY=this\n", output);
        Assert.Equal(0, child.ExitCode);
        Assert.True(child.LeadsGroup);
    }
}
