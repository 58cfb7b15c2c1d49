using System.Text.Json;
using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Local;

public sealed class LocalProcessBackendTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// A backend without a sandbox, for the tests that observe what the backend itself does: the process-group kill
    /// through host pids (a sandbox gives its processes a pid namespace of their own) and the unconfined environment.
    /// The sandboxed counterparts are in <c>Sandbox/</c>.
    /// </summary>
    private static LocalProcessBackend Unconfined() => Backends.Unsandboxed(1);

    private ProcessRequest Python(string script, params string[] arguments) => new()
    {
        FileName = "python3",
        Arguments = ["-c", script, .. arguments],
        WorkingDirectory = _folder.Path,
        Timeout = TimeSpan.FromMinutes(2),
    };

    [Fact]
    public async Task A_successful_run_captures_standard_output_and_error()
    {
        var backend = Backends.Local(1);

        var outcome = await backend.RunAsync(Python("import sys\nprint('hello from python')\nprint('to stderr', file=sys.stderr)"));

        Assert.True(outcome.Succeeded);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("hello from python\n", outcome.StandardOutput);
        Assert.Equal("to stderr\n", outcome.StandardError);
        Assert.False(outcome.TimedOut);
        Assert.False(outcome.OutputTruncated);
        Assert.Null(outcome.StartError);
    }

    [Fact]
    public async Task Output_is_decoded_as_utf8()
    {
        var outcome = await Backends.Local(1).RunAsync(Python("import sys\nsys.stdout.buffer.write('héllo → 世界 🚀'.encode('utf-8'))"));

        Assert.Equal("héllo → 世界 🚀", outcome.StandardOutput);
    }

    [Fact]
    public async Task The_exit_code_is_reported()
    {
        var outcome = await Backends.Local(1).RunAsync(Python("import sys\nsys.exit(7)"));

        Assert.Equal(7, outcome.ExitCode);
        Assert.False(outcome.Succeeded);
        Assert.False(outcome.TimedOut);
        Assert.Null(outcome.StartError);
    }

    [Fact]
    public async Task Arguments_are_passed_without_shell_interpretation()
    {
        var outcome = await Backends.Local(1).RunAsync(Python("import sys, json\nprint(json.dumps(sys.argv[1:]))", "a b", "$HOME", "'quoted'", "*"));

        Assert.Equal(["a b", "$HOME", "'quoted'", "*"], JsonSerializer.Deserialize<string[]>(outcome.StandardOutput)!);
    }

    [Fact]
    public async Task Standard_input_text_is_written_and_closed()
    {
        var request = Python("import sys\nprint(sys.stdin.read().upper(), end='')") with { StandardInput = "héllo\nworld" };

        var outcome = await Backends.Local(1).RunAsync(request);

        Assert.Equal("HÉLLO\nWORLD", outcome.StandardOutput);
    }

    [Fact]
    public async Task Without_standard_input_the_child_reads_end_of_file_at_once()
    {
        var outcome = await Backends.Local(1).RunAsync(Python("import sys\nprint(len(sys.stdin.read()))"));

        Assert.Equal("0\n", outcome.StandardOutput);
    }

    [Fact]
    public async Task A_child_that_ignores_a_large_standard_input_does_not_block_the_run()
    {
        var request = Python("print('done')") with { StandardInput = new string('x', 4 * 1024 * 1024) };

        var outcome = await Backends.Local(1).RunAsync(request);

        Assert.True(outcome.Succeeded);
        Assert.Equal("done\n", outcome.StandardOutput);
    }

    [Fact]
    public async Task The_working_directory_is_the_requested_folder()
    {
        var outcome = await Backends.Local(1).RunAsync(Python("import os\nprint(os.getcwd())"));

        Assert.Equal(Path.GetFullPath(_folder.Path), outcome.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_program_that_is_not_found_is_a_start_error_not_an_exception()
    {
        var outcome = await Backends.Local(1).RunAsync(new ProcessRequest { FileName = "genesis-no-such-program-7f3a", WorkingDirectory = _folder.Path });

        Assert.NotNull(outcome.StartError);
        Assert.Contains("genesis-no-such-program-7f3a", outcome.StartError);
        Assert.Contains("not found", outcome.StartError);
        Assert.False(outcome.Succeeded);
    }

    [Fact]
    public async Task A_missing_relative_path_is_a_start_error()
    {
        var outcome = await Backends.Local(1).RunAsync(new ProcessRequest { FileName = "./missing.sh", WorkingDirectory = _folder.Path });

        Assert.NotNull(outcome.StartError);
        Assert.Contains("missing.sh", outcome.StartError);
    }

    [Fact]
    public async Task A_file_without_execute_permission_is_a_start_error()
    {
        var script = _folder.Write("plain.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var outcome = await Backends.Local(1).RunAsync(new ProcessRequest { FileName = script, WorkingDirectory = _folder.Path });

        Assert.NotNull(outcome.StartError);
        Assert.Contains("not executable", outcome.StartError);
    }

    [Fact]
    public async Task A_relative_program_path_is_resolved_against_the_working_directory()
    {
        var script = _folder.Write("hello.sh", "#!/bin/sh\necho \"hi $1\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var outcome = await Backends.Local(1).RunAsync(new ProcessRequest { FileName = "./hello.sh", Arguments = ["there"], WorkingDirectory = _folder.Path });

        Assert.True(outcome.Succeeded, outcome.StartError ?? outcome.StandardError);
        Assert.Equal("hi there\n", outcome.StandardOutput);
    }

    [Fact]
    public async Task A_timeout_kills_the_process_and_reports_it()
    {
        var request = Python("import time\nprint('started', flush=True)\ntime.sleep(600)") with { Timeout = TimeSpan.FromMilliseconds(500) };

        var outcome = await Backends.Local(1).RunAsync(request);

        Assert.True(outcome.TimedOut);
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StartError);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_tree_including_a_sleeping_grandchild()
    {
        var clock = new ManualTimeProvider();
        var backend = new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = 1, TimeProvider = clock, Sandbox = Sandboxes.None });
        var script = $$"""
            import os, subprocess, sys, time
            {{Processes.WritePidPython("child.pid")}}
            subprocess.Popen([sys.executable, "-c", "import os, time\n{{Processes.WritePidPython("grandchild.pid")}}\ntime.sleep(600)"])
            while not os.path.exists("grandchild.pid"):
                time.sleep(0.01)
            open("ready", "w").close()
            time.sleep(600)
            """;

        var run = backend.RunAsync(Python(script) with { Timeout = TimeSpan.FromSeconds(30) });
        await Processes.WaitUntilAsync(() => File.Exists(_folder.File("ready")) || run.IsCompleted, "the child and grandchild to start");
        Assert.False(run.IsCompleted, "the run ended before its timeout");
        var child = Processes.ReadPid(_folder.File("child.pid"));
        var grandchild = Processes.ReadPid(_folder.File("grandchild.pid"));
        Assert.True(Processes.IsRunning(grandchild));

        clock.Advance(TimeSpan.FromSeconds(31));
        var outcome = await run;

        Assert.True(outcome.TimedOut);
        await Processes.WaitUntilGoneAsync(child);
        await Processes.WaitUntilGoneAsync(grandchild);
    }

    [Fact]
    public async Task The_duration_is_measured_with_the_injected_clock()
    {
        var clock = new ManualTimeProvider();
        var backend = new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = 1, TimeProvider = clock });

        var run = backend.RunAsync(Python("import time\nopen('ready', 'w').close()\ntime.sleep(600)") with { Timeout = TimeSpan.FromSeconds(10) });
        await Processes.WaitUntilAsync(() => File.Exists(_folder.File("ready")) || run.IsCompleted, "the child to start");
        clock.Advance(TimeSpan.FromSeconds(10));
        var outcome = await run;

        Assert.True(outcome.TimedOut);
        Assert.Equal(TimeSpan.FromSeconds(10), outcome.Duration);
    }

    [Fact]
    public async Task Background_processes_left_behind_by_a_child_that_exited_are_killed()
    {
        var script = $$"""
            import os, subprocess, sys, time
            subprocess.Popen([sys.executable, "-c", "import os, time\n{{Processes.WritePidPython("orphan.pid")}}\ntime.sleep(600)"])
            while not os.path.exists("orphan.pid"):
                time.sleep(0.01)
            """;

        var outcome = await Unconfined().RunAsync(Python(script));

        Assert.True(outcome.Succeeded, outcome.StandardError);
        var orphan = Processes.ReadPid(_folder.File("orphan.pid"));
        await Processes.WaitUntilGoneAsync(orphan);
    }

    [Fact]
    public async Task A_grandchild_that_escaped_the_group_and_holds_the_output_pipe_does_not_hang_the_run()
    {
        var backend = new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = 1, OutputDrainTimeout = TimeSpan.FromMilliseconds(200), Sandbox = Sandboxes.None });
        var script = $$"""
            import os, subprocess, sys, time
            subprocess.Popen([sys.executable, "-c", "import os, time\n{{Processes.WritePidPython("escaped.pid")}}\ntime.sleep(600)"], start_new_session=True)
            while not os.path.exists("escaped.pid"):
                time.sleep(0.01)
            print("parent done", flush=True)
            """;
        int? escaped = null;
        try
        {
            var run = backend.RunAsync(Python(script));
            await Processes.WaitUntilAsync(() => File.Exists(_folder.File("escaped.pid")) || run.IsCompleted, "the escaped grandchild to start");
            escaped = File.Exists(_folder.File("escaped.pid")) ? Processes.ReadPid(_folder.File("escaped.pid")) : null;

            var outcome = await run;

            Assert.True(outcome.Succeeded, outcome.StandardError);
            Assert.Equal("parent done\n", outcome.StandardOutput);
        }
        finally
        {
            if (escaped is { } pid && Processes.IsRunning(pid))
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
        }
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_discarded_while_the_child_runs_to_completion()
    {
        const int TenMegabytes = 10 * 1024 * 1024;
        var request = Python($"import sys\nsys.stdout.write('x' * {TenMegabytes})\nsys.stdout.flush()\nsys.stderr.write('y' * {TenMegabytes})\nprint('finished', file=sys.stderr)")
            with { MaxOutputBytes = 1000 };

        var outcome = await Backends.Local(1).RunAsync(request);

        Assert.True(outcome.Succeeded);
        Assert.True(outcome.OutputTruncated);
        Assert.Equal(new string('x', 1000), outcome.StandardOutput);
        Assert.Equal(new string('y', 1000), outcome.StandardError);
    }

    [Fact]
    public async Task Output_within_the_cap_is_not_truncated()
    {
        var outcome = await Backends.Local(1).RunAsync(Python("print('x' * 99, end='')") with { MaxOutputBytes = 100 });

        Assert.False(outcome.OutputTruncated);
        Assert.Equal(99, outcome.StandardOutput.Length);
    }

    [Fact]
    public async Task Cancellation_kills_the_tree_and_throws()
    {
        var script = $$"""
            import os, subprocess, sys, time
            {{Processes.WritePidPython("child.pid")}}
            subprocess.Popen([sys.executable, "-c", "import os, time\n{{Processes.WritePidPython("grandchild.pid")}}\ntime.sleep(600)"])
            while not os.path.exists("grandchild.pid"):
                time.sleep(0.01)
            time.sleep(600)
            """;
        using var cancellation = new CancellationTokenSource();

        var run = Unconfined().RunAsync(Python(script), cancellation.Token);
        await Processes.WaitUntilAsync(() => File.Exists(_folder.File("grandchild.pid")) || run.IsCompleted, "the child and grandchild to start");
        var child = Processes.ReadPid(_folder.File("child.pid"));
        var grandchild = Processes.ReadPid(_folder.File("grandchild.pid"));
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        await Processes.WaitUntilGoneAsync(child);
        await Processes.WaitUntilGoneAsync(grandchild);
    }

    [Fact]
    public async Task A_request_waiting_for_a_slot_can_be_cancelled()
    {
        var backend = Backends.Local(1);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var running = backend.RunAsync(Python("import time\nopen('first', 'w').close()\ntime.sleep(600)"), first.Token);
        await Processes.WaitUntilAsync(() => File.Exists(_folder.File("first")) || running.IsCompleted, "the first process to start");

        var waiting = backend.RunAsync(Python("open('second', 'w').close()"), second.Token);
        Assert.False(waiting.IsCompleted);
        await second.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.False(File.Exists(_folder.File("second")));
    }

    [Fact]
    public async Task The_parallelism_limit_is_reached_and_never_exceeded()
    {
        const int Limit = 3;
        var script = """
            import fcntl, json, os, sys, time
            limit = int(sys.argv[1])

            def update(delta):
                with open("counter.lock", "a+") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    state = {"current": 0, "max": 0, "runs": 0}
                    if os.path.exists("state.json"):
                        with open("state.json") as f:
                            state = json.load(f)
                    state["current"] += delta
                    state["max"] = max(state["max"], state["current"])
                    state["runs"] += 1 if delta > 0 else 0
                    with open("state.json", "w") as f:
                        json.dump(state, f)
                    return state

            update(1)
            # Hold the slot until the limit has been reached once (a deadline only guards a broken backend).
            deadline = time.time() + 60
            while update(0)["max"] < limit and time.time() < deadline:
                time.sleep(0.02)
            update(-1)
            """;
        var backend = Backends.Local(Limit);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3 * Limit).Select(_ => backend.RunAsync(Python(script, Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, outcome.StandardError));
        using var state = JsonDocument.Parse(File.ReadAllText(_folder.File("state.json")));
        Assert.Equal(Limit, state.RootElement.GetProperty("max").GetInt32());
        Assert.Equal(0, state.RootElement.GetProperty("current").GetInt32());
        Assert.Equal(3 * Limit, state.RootElement.GetProperty("runs").GetInt32());
        Assert.Equal(Limit, backend.MaxParallelism);
    }

    [Fact]
    public async Task Secret_variables_are_hidden_from_the_child_while_ordinary_ones_are_visible()
    {
        Environment.SetEnvironmentVariable("GENESIS_TEST_OPENAI_API_KEY", "sk-secret");
        Environment.SetEnvironmentVariable("GENESIS_TEST_github_token", "ghp-secret");
        Environment.SetEnvironmentVariable("GENESIS_TEST_DB_PASSWORD", "hunter2");
        Environment.SetEnvironmentVariable("GENESIS_LLM_ENDPOINT", "http://127.0.0.1:1");
        Environment.SetEnvironmentVariable("GENESIS_TEST_ORDINARY", "visible");
        Environment.SetEnvironmentVariable("GENESIS_TEST_REMOVED", "present in the host");
        var request = Python("import os, json\nprint(json.dumps(dict(os.environ)))") with
        {
            Environment = new Dictionary<string, string?>
            {
                ["GENESIS_TEST_OVERRIDE"] = "from the request",
                ["GENESIS_TEST_REMOVED"] = null,
            },
        };

        var outcome = await Unconfined().RunAsync(request);

        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(outcome.StandardOutput)!;
        Assert.DoesNotContain("GENESIS_TEST_OPENAI_API_KEY", environment.Keys);
        Assert.DoesNotContain("GENESIS_TEST_github_token", environment.Keys);
        Assert.DoesNotContain("GENESIS_TEST_DB_PASSWORD", environment.Keys);
        Assert.DoesNotContain("GENESIS_LLM_ENDPOINT", environment.Keys);
        Assert.DoesNotContain("GENESIS_TEST_REMOVED", environment.Keys);
        Assert.Equal("visible", environment["GENESIS_TEST_ORDINARY"]);
        Assert.Equal("from the request", environment["GENESIS_TEST_OVERRIDE"]);
        Assert.Equal(Environment.GetEnvironmentVariable("HOME"), environment["HOME"]);
        Assert.Equal("1", environment["PYTHONUNBUFFERED"]);
        Assert.Equal("1", environment["PYTHONDONTWRITEBYTECODE"]);
    }

    [Fact]
    public async Task An_explicit_allow_list_replaces_the_secret_filter()
    {
        Environment.SetEnvironmentVariable("GENESIS_TEST_ALLOWED_TOKEN", "allowed on purpose");
        Environment.SetEnvironmentVariable("GENESIS_TEST_NOT_LISTED", "hidden");
        var backend = new LocalProcessBackend(new LocalBackendOptions
        {
            MaxParallelism = 1,
            InheritedVariables = ["PATH", "HOME", "PYENV_ROOT", "GENESIS_TEST_ALLOWED_TOKEN"],
            Sandbox = Sandboxes.None,
        });

        var outcome = await backend.RunAsync(Python("import os, json\nprint(json.dumps(dict(os.environ)))"));

        Assert.True(outcome.Succeeded, outcome.StandardError);
        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(outcome.StandardOutput)!;
        Assert.Equal("allowed on purpose", environment["GENESIS_TEST_ALLOWED_TOKEN"]);
        Assert.DoesNotContain("GENESIS_TEST_NOT_LISTED", environment.Keys);
    }

    [Fact]
    public async Task A_missing_working_directory_is_the_callers_mistake()
    {
        var request = new ProcessRequest { FileName = "python3", WorkingDirectory = _folder.File("nowhere") };

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Backends.Local(1).RunAsync(request));
        Assert.Contains("ProcessRequest.WorkingDirectory", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    public async Task A_negative_output_cap_is_rejected_with_its_name(int cap)
    {
        var request = Python("pass") with { MaxOutputBytes = cap };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Backends.Local(1).RunAsync(request));
        Assert.Contains("ProcessRequest.MaxOutputBytes must be between 0 and 2147483647, was -1.", error.Message);
    }

    [Fact]
    public async Task A_non_positive_timeout_is_rejected_with_its_name()
    {
        var request = Python("pass") with { Timeout = TimeSpan.Zero };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Backends.Local(1).RunAsync(request));
        Assert.Contains("ProcessRequest.Timeout", error.Message);
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_without_starting_anything()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Backends.Local(1).RunAsync(Python("open('ran', 'w').close()"), cancellation.Token));
        Assert.False(File.Exists(_folder.File("ran")));
    }
}
