using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Genesis.Execution.Tests.Support;
using static Genesis.Execution.Tests.Sandbox.SandboxTestSupport;

namespace Genesis.Execution.Tests.Sandbox;

/// <summary>
/// Real hostile candidates, run through the real sandboxed <see cref="LocalProcessBackend"/>: each is stopped or denied,
/// the reason is visible in its outcome, nothing of it survives, and the next run on the same backend is fine. Every
/// candidate is bounded on its own (a fork loop of at most 500, writes of at most 4 GiB, allocations of at most 1 GiB
/// touched) so that even a broken sandbox cannot take the machine down.
/// </summary>
public sealed class HostileCandidateTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _work;

    public HostileCandidateTests() => _work = _folder.Folder("work");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_fork_bomb_is_stopped_at_the_process_limit(SandboxMechanism mechanism)
    {
        const int Limit = 64;
        var backend = Backend(mechanism, new SandboxPolicy { MaxProcesses = Limit });
        Assert.Contains(backend.Sandbox.Report.InForce, line => line.StartsWith($"processes: at most {Limit} at once", StringComparison.Ordinal));
        var marker = NewMarker();
        const string Bomb = """
            import os, sys, time
            children, error = 0, None
            for _ in range(500):
                try:
                    pid = os.fork()
                except OSError as e:
                    error = e.errno
                    break
                if pid == 0:
                    time.sleep(120)
                    os._exit(0)
                children += 1
            print(children, error, flush=True)
            """;

        var outcome = await backend.RunAsync(Python(_work, Bomb, marker, TimeSpan.FromMinutes(1)));

        var fields = outcome.StandardOutput.Split(' ', StringSplitOptions.TrimEntries);
        Assert.True(fields.Length == 2, Describe(outcome));
        Assert.InRange(int.Parse(fields[0], CultureInfo.InvariantCulture), 1, Limit - 1);
        Assert.Equal("11", fields[1]); // EAGAIN
        if (backend.Sandbox.Report.InForce.Any(line => line.Contains("pids.max", StringComparison.Ordinal)))
        {
            Assert.Contains(Notes(outcome), note => note.Contains($"the process limit of {Limit} was reached", StringComparison.Ordinal));
        }

        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task An_allocation_of_50_GB_fails_at_once(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism);
        var marker = NewMarker();
        const string Allocate = """
            try:
                block = bytearray(50 * 1024**3)
                print("allocated", len(block))
            except MemoryError:
                print("MemoryError")
            """;

        var outcome = await backend.RunAsync(Python(_work, Allocate, marker));

        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal("MemoryError\n", outcome.StandardOutput);
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task The_address_space_limit_and_not_the_machine_stops_a_mapping_past_it(SandboxMechanism mechanism)
    {
        // 2 GiB of untouched anonymous memory maps fine on this machine without a sandbox, and fails inside one limited to 1 GiB.
        const string Map = """
            import mmap
            try:
                region = mmap.mmap(-1, 2 * 1024**3)
                print("mapped")
            except OSError as e:
                print("refused", e.errno)
            """;
        var unconfined = await Backends.Unsandboxed(1).RunAsync(Python(_work, Map, NewMarker()));
        var backend = Backend(mechanism, new SandboxPolicy { MaxAddressSpaceBytes = 1L << 30 });
        var marker = NewMarker();

        var outcome = await backend.RunAsync(Python(_work, Map, marker));

        Assert.Equal("mapped\n", unconfined.StandardOutput);
        Assert.Equal("refused 12\n", outcome.StandardOutput); // ENOMEM
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Filling_memory_past_the_limit_stops_the_process_and_the_outcome_names_the_limit(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism, new SandboxPolicy { MaxMemoryBytes = 256L << 20, MaxAddressSpaceBytes = 1L << 30 });
        var byCgroup = backend.Sandbox.Report.InForce.Any(line => line.StartsWith("memory: at most 256 MiB", StringComparison.Ordinal));
        var marker = NewMarker();
        const string Fill = """
            blocks = []
            try:
                for i in range(32):
                    blocks.append(bytearray(32 * 1024**2))
                    print(i, flush=True)
                print("filled 1 GiB", flush=True)
            except MemoryError:
                print("MemoryError", flush=True)
            """;

        var outcome = await backend.RunAsync(Python(_work, Fill, marker));

        Assert.DoesNotContain("filled 1 GiB", outcome.StandardOutput, StringComparison.Ordinal);
        if (byCgroup)
        {
            Assert.Equal(137, outcome.ExitCode); // SIGKILL from the kernel's OOM killer
            Assert.Contains(Notes(outcome), note => note.Contains("the memory limit of 256 MiB was reached: the kernel killed", StringComparison.Ordinal));
        }
        else
        {
            Assert.EndsWith("MemoryError\n", outcome.StandardOutput, StringComparison.Ordinal);
        }

        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_process_that_fills_the_disk_is_stopped_at_the_file_and_scratch_limits(SandboxMechanism mechanism)
    {
        const long FileLimit = 64L << 20;
        const long ScratchLimit = 16L << 20;
        var backend = Backend(mechanism, new SandboxPolicy { MaxFileSizeBytes = FileLimit, ScratchSizeBytes = ScratchLimit });
        var marker = NewMarker();
        var scratchName = $"genesis-fill-{Guid.NewGuid():N}.bin";
        var fill = $$"""
            import errno
            def fill(path):
                written, chunk = 0, b"x" * (1024 * 1024)
                try:
                    with open(path, "wb") as f:
                        for _ in range(4096):
                            f.write(chunk)
                            f.flush()
                            written += len(chunk)
                    return "none", written
                except OSError as e:
                    return errno.errorcode.get(e.errno, str(e.errno)), written
            print(*fill("big.bin"))
            print(*fill("/tmp/{{scratchName}}"))
            """;
        var before = new DriveInfo(_work).AvailableFreeSpace;

        var outcome = await backend.RunAsync(Python(_work, fill, marker));

        var after = new DriveInfo(_work).AvailableFreeSpace;
        var lines = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, Describe(outcome));
        var file = lines[0].Split(' ');
        var scratch = lines[1].Split(' ');
        Assert.Equal("EFBIG", file[0]);
        Assert.InRange(long.Parse(file[1], CultureInfo.InvariantCulture), 0, FileLimit);
        Assert.Equal("ENOSPC", scratch[0]);
        Assert.InRange(long.Parse(scratch[1], CultureInfo.InvariantCulture), 0, ScratchLimit);
        Assert.InRange(new FileInfo(Path.Combine(_work, "big.bin")).Length, 0, FileLimit);
        Assert.False(File.Exists(Path.Combine("/tmp", scratchName)));

        // Other processes of this machine write too: allow them 1 GiB on top of the file the candidate kept.
        Assert.True(before - after < FileLimit + (1L << 30), $"free space dropped by {before - after} bytes");
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_shell_that_writes_past_the_file_size_limit_is_killed_by_SIGXFSZ_and_the_outcome_says_so(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism, new SandboxPolicy { MaxFileSizeBytes = 8L << 20 });
        var marker = NewMarker();

        var outcome = await backend.RunAsync(Shell(_work, "dd if=/dev/zero of=big.bin bs=1M count=4096 2>/dev/null; exit $?", marker));

        Assert.Equal(153, outcome.ExitCode);
        Assert.Contains(Notes(outcome), note => note.Contains("killed by SIGXFSZ: the file size limit of 8 MiB was reached", StringComparison.Ordinal));
        Assert.Equal(8L << 20, new FileInfo(Path.Combine(_work, "big.bin")).Length);
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_process_that_spins_is_killed_at_the_CPU_time_limit_and_the_outcome_says_so(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism, new SandboxPolicy { MaxCpuTime = TimeSpan.FromSeconds(1) });
        var marker = NewMarker();

        var outcome = await backend.RunAsync(Python(_work, "while True:\n    pass", marker));

        Assert.False(outcome.TimedOut);
        Assert.Equal(152, outcome.ExitCode);
        Assert.Contains(Notes(outcome), note => note.Contains("killed by SIGXCPU: the CPU time limit of 1 s per process was reached", StringComparison.Ordinal));
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_process_that_opens_files_without_end_gets_EMFILE(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism, new SandboxPolicy { MaxOpenFiles = 32 });
        var marker = NewMarker();
        const string Open = """
            files = []
            try:
                for _ in range(100000):
                    files.append(open("/dev/null"))
                print("unlimited")
            except OSError as e:
                print(len(files), e.errno)
            """;

        var outcome = await backend.RunAsync(Python(_work, Open, marker));

        var fields = outcome.StandardOutput.Split(' ', StringSplitOptions.TrimEntries);
        Assert.True(fields.Length == 2, Describe(outcome));
        Assert.InRange(int.Parse(fields[0], CultureInfo.InvariantCulture), 1, 32);
        Assert.Equal("24", fields[1]); // EMFILE
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_process_that_sleeps_forever_is_killed_at_the_timeout_with_its_whole_tree(SandboxMechanism mechanism)
    {
        var clock = new ManualTimeProvider();
        var backend = Backend(mechanism, clock: clock);
        var marker = NewMarker();
        const string Sleeper = """
            import os, subprocess, sys, time
            grandchild = "import time\nopen('grandchild-ready', 'w').close()\ntime.sleep(10**6)"
            subprocess.Popen([sys.executable, "-c", grandchild, sys.argv[1]], start_new_session=True)
            while not os.path.exists("grandchild-ready"):
                time.sleep(0.01)
            open("ready", "w").close()
            time.sleep(10**6)
            """;

        var run = backend.RunAsync(Python(_work, Sleeper, marker, TimeSpan.FromSeconds(30)));
        await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(_work, "ready")) || run.IsCompleted, "the candidate and its grandchild to start");
        Assert.False(run.IsCompleted, "the run ended before its timeout");
        Assert.True(Running(marker).Count >= 3, "the launcher, the candidate and the escaped grandchild should run");
        clock.Advance(TimeSpan.FromSeconds(31));
        var outcome = await run;

        Assert.True(outcome.TimedOut, Describe(outcome));
        Assert.False(outcome.Succeeded);
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Cancellation_kills_the_whole_sandbox_and_throws(SandboxMechanism mechanism)
    {
        var backend = Backend(mechanism);
        var marker = NewMarker();
        const string Sleeper = """
            import os, subprocess, sys, time
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(10**6)", sys.argv[1]], start_new_session=True)
            open("ready", "w").close()
            time.sleep(10**6)
            """;
        using var cancellation = new CancellationTokenSource();

        var run = backend.RunAsync(Python(_work, Sleeper, marker), cancellation.Token);
        await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(_work, "ready")) || run.IsCompleted, "the candidate to start");
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task A_connection_to_a_listener_on_127_0_0_1_fails(SandboxMechanism mechanism)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connect = $$"""
            import errno, socket
            for host in ("127.0.0.1", "10.255.255.1"):
                try:
                    socket.create_connection((host, {{port}}), timeout=5).close()
                    print(host, "connected")
                except OSError as e:
                    print(host, errno.errorcode.get(e.errno, str(e.errno)) if e.errno else type(e).__name__)
            """;
        var unconfined = await Backends.Unsandboxed(1).RunAsync(Python(_work, $"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5).close()\nprint('connected')", NewMarker()));
        Assert.Equal("connected\n", unconfined.StandardOutput);
        (await listener.AcceptTcpClientAsync()).Dispose();
        var backend = Backend(mechanism);
        var marker = NewMarker();

        var outcome = await backend.RunAsync(Python(_work, connect, marker));

        var lines = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, Describe(outcome));
        Assert.Equal("127.0.0.1 ECONNREFUSED", lines[0]);
        Assert.DoesNotContain("connected", lines[1], StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the listener on the host received a connection");
        await AssertTheNextRunIsFineAsync(backend, _work, marker);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Writes_outside_the_working_folder_fail_or_stay_inside_the_sandbox(SandboxMechanism mechanism)
    {
        var name = $"genesis-escape-{Guid.NewGuid():N}";
        var repository = RepositoryRoot();
        var home = Environment.GetEnvironmentVariable("HOME")!;
        string[] deniedNew = [Path.Combine(repository, name), Path.Combine(home, name), Path.Combine("/usr/local", name), Path.Combine("/etc", name)];
        string[] deniedExisting = [Path.Combine(repository, "README.md"), Path.Combine(_work, "link-to-passwd")];
        string[] privateNew = [Path.Combine("/tmp", name), Path.Combine(Path.GetDirectoryName(_work)!, name)];
        var inside = Path.Combine(_work, "inside.txt");
        var readmeBefore = File.ReadAllText(Path.Combine(repository, "README.md"));
        var passwdBefore = File.ReadAllText("/etc/passwd");
        var write = $$"""
            import errno, json, os
            os.symlink("/etc/passwd", "link-to-passwd")
            results = {}
            for path in {{JsonSerializer.Serialize(deniedNew.Concat(deniedExisting).Concat(privateNew).Append(inside))}}:
                try:
                    with open(path, "a") as f:
                        f.write("escaped")
                    results[path] = "written"
                except OSError as e:
                    results[path] = errno.errorcode.get(e.errno, str(e.errno))
            print(json.dumps(results))
            """;
        var backend = Backend(mechanism);
        var marker = NewMarker();
        try
        {
            var outcome = await backend.RunAsync(Python(_work, write, marker));

            var results = JsonSerializer.Deserialize<Dictionary<string, string>>(outcome.StandardOutput)!;
            foreach (var path in deniedNew.Concat(deniedExisting))
            {
                // EROFS for a read-only mount, ENOENT where the folder is not there at all (a repository under /tmp).
                Assert.True(results[path] is "EROFS" or "EACCES" or "EPERM" or "ENOENT", $"{path}: {results[path]}");
            }

            Assert.Equal("written", results[inside]);
            Assert.Equal("escaped", File.ReadAllText(inside));
            foreach (var path in deniedNew.Concat(privateNew))
            {
                Assert.False(File.Exists(path), $"{path} exists on the host");
            }

            Assert.Equal(readmeBefore, File.ReadAllText(Path.Combine(repository, "README.md")));
            Assert.Equal(passwdBefore, File.ReadAllText("/etc/passwd"));
            await AssertTheNextRunIsFineAsync(backend, _work, marker);
        }
        finally
        {
            foreach (var path in deniedNew.Concat(privateNew))
            {
                File.Delete(path);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Secrets_in_the_environment_and_in_key_files_are_out_of_reach(SandboxMechanism mechanism)
    {
        var secrets = new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-genesis-fake-openai",
            ["GITHUB_TOKEN"] = "ghp_genesis_fake",
            ["AWS_SECRET_ACCESS_KEY"] = "genesis-fake-aws",
            ["GENESIS_LLM_API_BASE"] = "http://genesis-fake-llm",
        };
        var keyInTemp = _folder.Write("host-home/.ssh/id_rsa", "-----BEGIN FAKE KEY----- genesis-fake-key-in-temp");
        var hiddenFolder = Path.Combine(AppContext.BaseDirectory, $"sandbox-secrets-{Guid.NewGuid():N}");
        var keyOutsideTemp = Path.Combine(hiddenFolder, "id_rsa");
        Directory.CreateDirectory(hiddenFolder);
        File.WriteAllText(keyOutsideTemp, "-----BEGIN FAKE KEY----- genesis-fake-key-outside-temp");
        File.SetUnixFileMode(keyOutsideTemp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var home = Environment.GetEnvironmentVariable("HOME")!;
        var read = $$"""
            import json, os
            result = {"env": dict(os.environ), "files": {}, "home": sorted(os.listdir({{JsonSerializer.Serialize(home)}}))}
            for path in {{JsonSerializer.Serialize(new[] { keyInTemp, keyOutsideTemp, "/etc/shadow" })}}:
                try:
                    with open(path) as f:
                        result["files"][path] = f.read()
                except OSError as e:
                    result["files"][path] = "error " + str(e.errno)
            print(json.dumps(result))
            """;
        foreach (var (name, value) in secrets)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var unconfined = await Backends.Unsandboxed(1).RunAsync(Python(_work, read, NewMarker()));
            Assert.Contains("genesis-fake-key-outside-temp", unconfined.StandardOutput, StringComparison.Ordinal);
            var policy = new SandboxPolicy { HiddenPaths = [.. SandboxPolicy.DefaultHiddenPaths, hiddenFolder] };
            var backend = Backend(mechanism, policy);
            var marker = NewMarker();

            var outcome = await backend.RunAsync(Python(_work, read, marker));

            Assert.True(outcome.Succeeded, Describe(outcome));
            using var result = JsonDocument.Parse(outcome.StandardOutput);
            var environment = result.RootElement.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.DoesNotContain(environment.Keys, name => ChildEnvironment.IsSecret(name));
            Assert.DoesNotContain(environment.Values, value => value.Contains("genesis-fake", StringComparison.Ordinal));
            Assert.Equal(_work, environment["HOME"]);
            foreach (var file in result.RootElement.GetProperty("files").EnumerateObject())
            {
                Assert.DoesNotContain("genesis-fake-key", file.Value.GetString()!, StringComparison.Ordinal);
            }

            Assert.StartsWith("error ", result.RootElement.GetProperty("files").GetProperty(keyInTemp).GetString()!, StringComparison.Ordinal);
            Assert.StartsWith("error ", result.RootElement.GetProperty("files").GetProperty(keyOutsideTemp).GetString()!, StringComparison.Ordinal);
            Assert.True(
                result.RootElement.GetProperty("files").GetProperty("/etc/shadow").GetString() is "" or "error 13",
                "/etc/shadow should read as empty or not at all");
            string[] toolchains = [".cargo", ".dotnet", ".local", ".nvm", ".pyenv", ".rustup"];
            Assert.All(result.RootElement.GetProperty("home").EnumerateArray(), entry => Assert.Contains(entry.GetString(), toolchains));
            await AssertTheNextRunIsFineAsync(backend, _work, marker);
        }
        finally
        {
            foreach (var name in secrets.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            Directory.Delete(hiddenFolder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Genesis.Sdk.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("The repository root (Genesis.Sdk.sln) was not found above the test assembly.");
        }

        return Path.TrimEndingDirectorySeparator(folder);
    }
}
