using System.Diagnostics;
using System.Text.Json;
using Genesis.Execution.Tests.Support;
using static Genesis.Execution.Tests.Sandbox.SandboxTestSupport;

namespace Genesis.Execution.Tests.Sandbox;

/// <summary>What a candidate needs still works in the sandbox: input and output, its folder, its variables, the files its request names.</summary>
public sealed class SandboxedBackendTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _work;

    public SandboxedBackendTests() => _work = _folder.Folder("work");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Input_output_exit_code_and_working_folder_pass_through(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism);
        const string Script = """
            import os, sys
            print(sys.stdin.read().upper(), end="")
            print(os.getcwd(), file=sys.stderr)
            open("result.txt", "w").write("from the sandbox")
            sys.exit(7)
            """;

        var outcome = await backend.RunAsync(Python(_work, Script, NewMarker()) with { StandardInput = "héllo" });

        Assert.Equal(7, outcome.ExitCode);
        Assert.Equal("HÉLLO", outcome.StandardOutput);
        Assert.Equal(_work + "\n", outcome.StandardError);
        Assert.Equal("from the sandbox", File.ReadAllText(Path.Combine(_work, "result.txt")));
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task The_environment_is_the_allow_list_plus_the_requests_variables(SandboxMechanism mechanism)
    {
        Environment.SetEnvironmentVariable("GENESIS_SANDBOX_TEST_ORDINARY", "not on the allow-list");
        Environment.SetEnvironmentVariable("LC_GENESIS_SANDBOX_TEST", "on the allow-list through LC_*");
        var backend = Backend(mechanism);
        var request = Python(_work, "import os, json\nprint(json.dumps(dict(os.environ)))", NewMarker()) with
        {
            Environment = new Dictionary<string, string?> { ["GENESIS_REQUEST_VARIABLE"] = "from the request", ["LANG"] = null },
        };

        var outcome = await backend.RunAsync(request);

        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(outcome.StandardOutput)!;
        Assert.Equal(_work, environment["HOME"]);
        Assert.Equal("/tmp", environment["TMPDIR"]);
        Assert.Equal("from the request", environment["GENESIS_REQUEST_VARIABLE"]);
        Assert.Equal("on the allow-list through LC_*", environment["LC_GENESIS_SANDBOX_TEST"]);
        Assert.Equal("1", environment["PYTHONUNBUFFERED"]);
        Assert.DoesNotContain("GENESIS_SANDBOX_TEST_ORDINARY", environment.Keys);
        Assert.DoesNotContain("LANG", environment.Keys);
        Assert.Contains("PATH", environment.Keys);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Scripts_and_modules_the_request_names_outside_the_private_tmp_stay_readable(SandboxMechanism mechanism)
    {
        // An evaluator's layout: its script and its modules live next to the working folder, under the host's /tmp.
        var notNamed = _folder.Write("task/data.txt", "in the named folder");
        var elsewhere = _folder.Write("elsewhere.txt", "not named by the request");
        var script = _folder.Write(
            "task/evaluate.py",
            $"import os\nfrom scoring import bonus\nprint('score', bonus(), os.path.exists({JsonSerializer.Serialize(notNamed)}), os.path.exists({JsonSerializer.Serialize(elsewhere)}))\n");
        _folder.Write("task/scoring.py", "def bonus():\n    return 0.5\n");
        var backend = Backend(mechanism);
        var request = new ProcessRequest
        {
            FileName = "python3",
            Arguments = [script],
            WorkingDirectory = _work,
            Environment = new Dictionary<string, string?> { ["PYTHONPATH"] = _folder.Folder("task") },
        };

        var outcome = await backend.RunAsync(request);

        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal("score 0.5 True False\n", outcome.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_writable_folder_of_the_policy_is_writable(SandboxMechanism mechanism)
    {
        var cache = _folder.Folder("shared-cache");
        var backend = Backend(mechanism, new SandboxPolicy { WritablePaths = [cache] });

        var outcome = await backend.RunAsync(Python(_work, $"open({JsonSerializer.Serialize(Path.Combine(cache, "built.txt"))}, 'w').write('cached')", NewMarker()));

        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal("cached", File.ReadAllText(Path.Combine(cache, "built.txt")));
        Assert.Contains(backend.Sandbox.Report.InForce, line => line.Contains(cache, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_writable_folder_that_does_not_exist_is_the_callers_mistake()
    {
        var backend = Backend(SandboxMechanism.Bubblewrap, new SandboxPolicy { WritablePaths = [_folder.File("missing")] });

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => backend.RunAsync(Python(_work, "pass", NewMarker())));

        Assert.Contains("SandboxPolicy.WritablePaths", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_program_is_a_start_error_found_on_the_host()
    {
        var backend = Backend(SandboxMechanism.Bubblewrap);

        var outcome = await backend.RunAsync(new ProcessRequest { FileName = "genesis-no-such-program-5d1e", WorkingDirectory = _work });

        Assert.NotNull(outcome.StartError);
        Assert.Contains("genesis-no-such-program-5d1e", outcome.StartError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_discarded_in_the_sandbox_too()
    {
        var backend = Backend(SandboxMechanism.Bubblewrap);

        var outcome = await backend.RunAsync(Python(_work, "import sys\nsys.stdout.write('x' * 5_000_000)", NewMarker()) with { MaxOutputBytes = 100 });

        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.True(outcome.OutputTruncated);
        Assert.Equal(new string('x', 100), outcome.StandardOutput);
    }

    [Fact]
    public async Task Sandboxed_runs_in_parallel_each_get_their_own_limits()
    {
        var backend = new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = 4, Sandbox = Create(SandboxMechanism.Bubblewrap) });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => backend.RunAsync(Python(_folder.Folder($"run{i}"), $"print({i})", NewMarker()))));

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, Describe(outcome)));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i}\n"), outcomes.Select(outcome => outcome.StandardOutput));
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_sandbox_dies_with_its_launcher_and_its_cgroups_are_emptied(SandboxMechanism mechanism)
    {
        // Run the wrapped request directly, without the backend's process-group kill: killing only the launcher must
        // take the whole sandbox down (bwrap --die-with-parent, unshare --kill-child).
        var sandbox = Create(mechanism);
        var marker = NewMarker();
        var wrapped = sandbox.Wrap(Python(_work, "import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(10**6)', sys.argv[1]], start_new_session=True)\nopen('ready', 'w').close()\ntime.sleep(10**6)", marker) with
        {
            FileName = "/usr/bin/python3",
        });
        var startInfo = new ProcessStartInfo(wrapped.FileName) { WorkingDirectory = wrapped.WorkingDirectory, UseShellExecute = false };
        foreach (var argument in wrapped.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var launcher = Process.Start(startInfo)!;
        try
        {
            await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(_work, "ready")), "the candidate to start");
            Assert.True(Running(marker).Count >= 3);
            var cgroups = ((ConfiningSandbox)sandbox).CgroupsOf(wrapped);

            launcher.Kill(entireProcessTree: false);
            await launcher.WaitForExitAsync();

            await WaitUntilNoneRunAsync(marker);
            await ((IReleasingSandbox)sandbox).ReleaseAsync(wrapped);
            Assert.Null(((ConfiningSandbox)sandbox).CgroupsOf(wrapped));
            foreach (var folder in new[] { cgroups?.PidsFolder, cgroups?.MemoryFolder }.OfType<string>())
            {
                // Back in the pool, empty, for the next run (or removed), once the killed processes are reaped.
                await Processes.WaitUntilAsync(
                    () => !Directory.Exists(folder) || File.ReadAllText(Path.Combine(folder, "cgroup.procs")).Length == 0,
                    $"the cgroup {folder} to be empty");
            }
        }
        finally
        {
            foreach (var pid in Running(marker))
            {
                ProcessTree.KillProcess(pid);
            }
        }
    }
}
