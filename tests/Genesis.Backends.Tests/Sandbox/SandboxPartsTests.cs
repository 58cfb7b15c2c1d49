using System.Collections;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Sandbox;

/// <summary>The sandbox's parts on their own: the environment allow-list, the file-system layout, the launcher's formats.</summary>
public sealed class SandboxPartsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_environment_keeps_allowed_names_drops_secrets_and_applies_the_request_last()
    {
        var host = new Hashtable
        {
            ["PATH"] = "/bin",
            ["LC_ALL"] = "C.UTF-8",
            ["LANG"] = "en",
            ["OPENAI_API_KEY"] = "sk",
            ["MY_TOKEN"] = "t",
            ["HOME"] = "/root",
            ["UNLISTED"] = "x",
            ["TMPDIR"] = "/var/host-tmp",
        };
        string[] allowed = ["PATH", "LC_*", "LANG", "MY_TOKEN", "HOME"];

        var environment = SandboxEnvironment.Build(allowed, host, hostHome: null, "/work/c1", privateScratch: true, new Dictionary<string, string?> { ["LANG"] = null, ["EXTRA"] = "e", ["PYTHONUNBUFFERED"] = "0" });

        Assert.Equal(
            new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["EXTRA"] = "e",
                ["HOME"] = "/work/c1",
                ["LC_ALL"] = "C.UTF-8",
                ["PATH"] = "/bin",
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["PYTHONUNBUFFERED"] = "0",
                ["TMPDIR"] = "/tmp",
            },
            environment);
    }

    [Fact]
    public void Rustup_home_points_at_the_hosts_toolchains_when_the_host_does_not_set_it()
    {
        var home = _folder.Folder("home");
        Directory.CreateDirectory(Path.Combine(home, ".rustup"));

        var environment = SandboxEnvironment.Build(["PATH"], new Hashtable(), home, "/work", privateScratch: false, new Dictionary<string, string?>());

        Assert.Equal(Path.Combine(home, ".rustup"), environment["RUSTUP_HOME"]);
        Assert.DoesNotContain("TMPDIR", environment.Keys);
    }

    [Theory]
    [InlineData("LC_ALL", true)]
    [InlineData("LC_", true)]
    [InlineData("LANG", true)]
    [InlineData("LANGUAGE", false)]
    [InlineData("XLC_ALL", false)]
    public void A_trailing_star_matches_any_suffix(string name, bool allowed) =>
        Assert.Equal(allowed, SandboxEnvironment.IsAllowed(name, ["LC_*", "LANG"]));

    [Fact]
    public void The_layout_hides_existing_paths_once_and_binds_toolchains_inside_hidden_folders()
    {
        // Outside the host's /tmp, which every sandbox replaces anyway.
        var home = Path.Combine(AppContext.BaseDirectory, $"sandbox-home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(home, ".ssh"));
        Directory.CreateDirectory(Path.Combine(home, ".cargo", "bin"));
        try
        {
            var policy = new SandboxPolicy
            {
                HiddenPaths = ["~", "~/.ssh", "/nonexistent-genesis", "/", "/etc/shadow", "/tmp/inside-scratch"],
                ReadOnlyPaths = ["~/.cargo/bin", "~/.missing", "/usr/bin"],
            };
            var work = _folder.Folder("work");

            var layout = new SandboxLayout(policy, home + "/");

            Assert.Equal([home], layout.HiddenFolders);
            Assert.Equal(["/etc/shadow"], layout.HiddenFiles);
            Assert.Equal(
                new[] { new SandboxBind(Path.Combine(home, ".cargo", "bin"), Writable: false, IsFile: false), new SandboxBind(work, Writable: true, IsFile: false) }
                    .OrderBy(bind => bind.Path, StringComparer.Ordinal),
                layout.ForRun(work, "/usr/bin/python3", [], null));
            Assert.Null(SandboxLayout.Expand("~/.ssh", home: null));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_requests_own_paths_are_bound_only_where_hidden_and_never_over_a_hidden_path()
    {
        var task = _folder.Folder("task");
        var script = _folder.Write("task/evaluate.py", "pass");
        var work = _folder.Folder("work");
        var inside = Path.Combine(work, "main.py");
        File.WriteAllText(inside, "pass");
        var layout = new SandboxLayout(new SandboxPolicy { HiddenPaths = ["/etc/shadow", "/root"], ReadOnlyPaths = [] }, home: null);

        var binds = layout.ForRun(work, "/usr/bin/python3", [script, inside, "/", "/root", "/etc", "-c", "/no/such/file"], pythonPath: task + ":relative:/tmp");

        Assert.Equal(
            [new SandboxBind(task, Writable: false, IsFile: false), new SandboxBind(work, Writable: true, IsFile: false)],
            binds);
    }

    [Fact]
    public void Writable_paths_are_bound_writable_and_must_exist()
    {
        var cache = _folder.Folder("cache");
        var work = _folder.Folder("work");
        var layout = new SandboxLayout(new SandboxPolicy { WritablePaths = [cache], HiddenPaths = [], ReadOnlyPaths = [] }, home: null);

        Assert.Contains(new SandboxBind(cache, Writable: true, IsFile: false), layout.ForRun(work, "/bin/true", [], null));
        Directory.Delete(cache);
        Assert.Throws<DirectoryNotFoundException>(() => layout.ForRun(work, "/bin/true", [], null));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/tmp")]
    public void A_working_folder_that_would_uncover_a_hidden_path_is_the_callers_mistake(string workingDirectory)
    {
        var layout = new SandboxLayout(new SandboxPolicy { HiddenPaths = ["/etc/shadow"], ReadOnlyPaths = [] }, home: null);

        var error = Assert.Throws<ArgumentException>(() => layout.ForRun(workingDirectory, "/bin/true", [], null));

        Assert.StartsWith("ProcessRequest.WorkingDirectory must not contain a path the sandbox hides", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "SandboxPolicy.WritablePaths must not hold a folder that contains a hidden path",
            Assert.Throws<ArgumentException>(() => new SandboxLayout(new SandboxPolicy { HiddenPaths = ["/etc/shadow"], WritablePaths = [workingDirectory] }, home: null)).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4L << 30, "4 GiB")]
    [InlineData(512L << 20, "512 MiB")]
    [InlineData(1536L << 10, "1536 KiB")]
    [InlineData(1L << 40, "1 TiB")]
    [InlineData(100, "100 bytes")]
    public void Byte_counts_read_as_people_write_them(long bytes, string text) => Assert.Equal(text, SandboxLauncher.Bytes(bytes));

    [Theory]
    [InlineData(600_000, "10 min", 600)]
    [InlineData(1_500, "2 s", 2)]
    [InlineData(90_000, "90 s", 90)]
    public void Cpu_times_are_whole_seconds_rounded_up(int milliseconds, string text, long seconds)
    {
        Assert.Equal(text, SandboxLauncher.Duration(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(seconds, SandboxLauncher.Seconds(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData("/sys/fs/cgroup/pids", "/sys/fs/cgroup/pids")]
    [InlineData("/mnt/with\\040space", "/mnt/with space")]
    [InlineData("/a\\134b\\011c", "/a\\b\tc")]
    [InlineData("/not\\08octal", "/not\\08octal")]
    public void Mount_points_are_unescaped(string field, string path) => Assert.Equal(path, CgroupFacts.Unescape(field));

    [Fact]
    public void A_wrapped_request_runs_the_launcher_and_keeps_the_requests_limits()
    {
        var work = _folder.Folder("work");
        var request = new ProcessRequest
        {
            FileName = "/usr/bin/python3",
            Arguments = ["-c", "pass"],
            WorkingDirectory = work + "/",
            Timeout = TimeSpan.FromSeconds(42),
            MaxOutputBytes = 123,
            StandardInput = "in",
            Environment = new Dictionary<string, string?> { ["SECRET_SAUCE"] = "passed on purpose" },
        };

        var wrapped = SandboxTestSupport.Create(SandboxMechanism.Bubblewrap).Wrap(request);

        Assert.Equal(HostFacts.Current.Shell, wrapped.FileName);
        Assert.Equal(work, wrapped.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(42), wrapped.Timeout);
        Assert.Equal(123, wrapped.MaxOutputBytes);
        Assert.Equal("in", wrapped.StandardInput);
        Assert.Empty(wrapped.Environment);
        Assert.Equal(["-c", "pass"], wrapped.Arguments.TakeLast(2));
        Assert.Contains("/usr/bin/python3", wrapped.Arguments);
        Assert.Contains("--unshare-net", wrapped.Arguments);
        Assert.Contains("SECRET_SAUCE", wrapped.Arguments);
        Assert.Throws<ArgumentException>(() => SandboxTestSupport.Create(SandboxMechanism.Bubblewrap).Wrap(request with { WorkingDirectory = "relative" }));
    }
}
