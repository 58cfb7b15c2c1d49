using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class RustToolchainTests : IDisposable
{
    internal const string Square = """
        fn main() {
            let n: i64 = std::env::args().nth(1).map(|a| a.parse().unwrap()).unwrap_or(6);
            println!("{}", n * n);
        }
        """;

    internal const string Broken = """
        fn main() {
            let x: i32 = "not a number";
            println!("{}", x);
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private RustToolchain Toolchain(IReadOnlyList<string>? flags = null, string rustc = "rustc") => Toolchains.Rust(new RustToolchainOptions
    {
        Rustc = rustc,
        Flags = flags ?? new RustToolchainOptions().Flags,
        CacheDirectory = _folder.Folder("cache"),
    });

    [Fact]
    public async Task A_trivial_candidate_builds_and_runs()
    {
        var backend = new CountingBackend();
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, Square, backend));

        Assert.True(build.Succeeded, build.CompilerOutput);
        Assert.False(build.CacheHit);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(build.SourcePath)!, "main"), build.ArtifactPath);
        Assert.Equal("main.rs", Path.GetFileName(build.SourcePath));
        Assert.Equal(Square, File.ReadAllText(build.SourcePath));
        var run = await LanguageKit.RunAsync(build, "7");
        Assert.Equal("49", run.StandardOutput.Trim());

        var compile = Assert.Single(backend.Requests);
        Assert.Equal(["-O", "--edition", "2021", "main.rs", "-o", "main"], compile.Arguments);
    }

    [Fact]
    public async Task A_compile_error_is_a_failed_build_with_the_compilers_message()
    {
        var request = LanguageKit.Build(_folder, Broken, Backends.Local(1));
        var build = await Toolchain().BuildAsync(request);

        Assert.False(build.Succeeded);
        Assert.Null(build.Run);
        Assert.Null(build.ArtifactPath);
        Assert.Contains("error[E0308]: mismatched types", build.CompilerOutput, StringComparison.Ordinal);
        Assert.Contains("--> main.rs:2:", build.CompilerOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(request.WorkingDirectory, build.CompilerOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(request.WorkingDirectory, "main")));
    }

    [Fact]
    public async Task Flags_reach_the_compiler_and_the_probe()
    {
        const string Configured = """
            fn main() {
                #[cfg(genesis_flag)]
                println!("flag on");
                #[cfg(not(genesis_flag))]
                println!("flag off");
            }
            """;
        var toolchain = Toolchain(flags: ["-C", "opt-level=1", "--cfg", "genesis_flag", "--check-cfg", "cfg(genesis_flag)"]);

        var info = await toolchain.ProbeAsync();
        var build = await toolchain.BuildAsync(LanguageKit.Build(_folder, Configured, Backends.Local(1)));

        Assert.Equal("-C opt-level=1 --cfg genesis_flag --check-cfg cfg(genesis_flag)", info.Flags);
        Assert.Equal("rustc", info.Tool);
        Assert.StartsWith("rustc 1.", info.Version, StringComparison.Ordinal);
        Assert.Equal("flag on", (await LanguageKit.RunAsync(build)).StandardOutput.Trim());
    }

    [Fact]
    public async Task A_missing_rustc_is_one_clear_error()
    {
        var toolchain = Toolchain(rustc: "rustc-genesis-missing");

        var probe = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await toolchain.ProbeAsync());
        var build = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await toolchain.BuildAsync(LanguageKit.Build(_folder, Square, Backends.Local(1))));

        Assert.Equal("rustc-genesis-missing was not found on PATH or in ~/.cargo/bin: install Rust or choose another language.", probe.Message);
        Assert.Equal(probe.Message, build.Message);
    }

    [Fact]
    public async Task The_probe_runs_once_per_toolchain()
    {
        var probes = new CountingBackend();
        var toolchain = Toolchains.Rust(new RustToolchainOptions { ProbeBackend = probes, CacheDirectory = _folder.Folder("cache") });

        var first = await toolchain.ProbeAsync();
        var second = await toolchain.ProbeAsync();
        await toolchain.BuildAsync(LanguageKit.Build(_folder, Square, Backends.Local(1)));

        Assert.Same(first, second);
        var probe = Assert.Single(probes.Requests);
        Assert.Equal(["-vV"], probe.Arguments);
    }

    [Fact]
    public async Task Rustc_is_found_in_cargo_bin_when_it_is_not_on_PATH()
    {
        var cargoBin = ToolFinder.CargoBinFolders().FirstOrDefault(folder => File.Exists(Path.Combine(folder, "rustc")));
        Assert.NotNull(cargoBin);
        var toolchain = Toolchains.Rust(new RustToolchainOptions
        {
            CacheDirectory = _folder.Folder("cache"),
            Environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin" },
        });

        var info = await toolchain.ProbeAsync();

        Assert.StartsWith("rustc 1.", info.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_validated_with_the_option_named()
    {
        var empty = Assert.Throws<ArgumentException>(() => Toolchains.Rust(new RustToolchainOptions { Rustc = " " }));
        var flag = Assert.Throws<ArgumentException>(() => Toolchains.Rust(new RustToolchainOptions { Flags = ["-O", ""] }));
        var cap = Assert.Throws<ArgumentOutOfRangeException>(() => Toolchains.Rust(new RustToolchainOptions { MaxCompilerOutputBytes = 10 }));

        Assert.StartsWith("RustToolchainOptions.Rustc must name a program", empty.Message, StringComparison.Ordinal);
        Assert.StartsWith("RustToolchainOptions.Flags[1] must not be null or empty.", flag.Message, StringComparison.Ordinal);
        Assert.StartsWith("RustToolchainOptions.MaxCompilerOutputBytes must be between 256 and 1048576, was 10.", cap.Message, StringComparison.Ordinal);
    }
}
