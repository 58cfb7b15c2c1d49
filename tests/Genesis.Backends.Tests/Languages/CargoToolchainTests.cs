using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class CargoToolchainTests : IDisposable
{
    private const string PlusTwo = "fn main() {\n    println!(\"{}\", helper::base() + 2);\n}\n";
    private const string PlusThree = "fn main() {\n    println!(\"{}\", helper::base() + 3);\n}\n";
    private const string Broken = "fn main() {\n    let x: i64 = helper::base() + \"two\";\n    println!(\"{}\", x);\n}\n";

    private readonly TempFolder _folder = new();
    private readonly string _template;
    private readonly string _cache;

    public CargoToolchainTests()
    {
        _cache = _folder.Folder("cache");
        _template = _folder.Folder("template");
        _folder.Write("template/Cargo.toml", "[package]\nname = \"candidate\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nhelper = { path = \"helper\" }\n");
        _folder.Write("template/src/main.rs", "fn main() {\n    println!(\"{}\", helper::base());\n}\n");
        _folder.Write("template/helper/Cargo.toml", "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        _folder.Write("template/helper/src/lib.rs", "pub fn base() -> i64 {\n    40\n}\n");
    }

    public void Dispose() => _folder.Dispose();

    private CargoToolchain Toolchain(string cargo = "cargo", bool offline = true) =>
        Toolchains.RustCargo(_template, new CargoToolchainOptions { Cargo = cargo, Offline = offline, CacheDirectory = _cache });

    [Fact]
    public async Task A_candidate_replaces_main_rs_of_the_template_and_runs()
    {
        var backend = new CountingBackend();
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, backend));

        Assert.True(build.Succeeded, build.CompilerOutput);
        Assert.Equal("main.rs", Path.GetFileName(build.SourcePath));
        Assert.Equal("42", (await LanguageKit.RunAsync(build)).StandardOutput.Trim());
        var cargo = Assert.Single(backend.Requests);
        Assert.Contains("--offline", cargo.Arguments);
        Assert.Equal(["build", "--profile", "release", "--offline"], cargo.Arguments.Take(4));

        // The template is read, never written.
        Assert.False(Directory.Exists(Path.Combine(_template, "target")));
        Assert.False(File.Exists(Path.Combine(_template, "Cargo.lock")));
        Assert.Equal("fn main() {\n    println!(\"{}\", helper::base());\n}\n", File.ReadAllText(Path.Combine(_template, "src", "main.rs")));
    }

    [Fact]
    public async Task A_compile_error_reports_the_compilers_message_without_cargos_progress()
    {
        var toolchain = Toolchain();
        var build = await toolchain.BuildAsync(LanguageKit.Build(_folder, Broken, Backends.Local(1)));

        Assert.False(build.Succeeded);
        Assert.Contains("error[E0277]: cannot add `&str` to `i64`", build.CompilerOutput, StringComparison.Ordinal);
        Assert.Contains("--> src/main.rs:2:", build.CompilerOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Compiling", build.CompilerOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(toolchain.WorkspaceDirectory, build.CompilerOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_candidate_builds_in_the_shared_target_folder_and_reuses_its_dependencies()
    {
        var backend = new CountingBackend();
        var toolchain = Toolchain();

        var first = await toolchain.BuildAsync(LanguageKit.Build(_folder, PlusTwo, backend));
        var helper = Assert.Single(Directory.GetFiles(Path.Combine(toolchain.TargetDirectory, "release", "deps"), "libhelper-*.rlib"));
        var helperWritten = File.GetLastWriteTimeUtc(helper);
        var second = await toolchain.BuildAsync(LanguageKit.Build(_folder, PlusThree, backend));

        Assert.Equal("42", (await LanguageKit.RunAsync(first)).StandardOutput.Trim());
        Assert.Equal("43", (await LanguageKit.RunAsync(second)).StandardOutput.Trim());
        Assert.Equal(2, backend.Count);
        Assert.All(backend.Requests, request => Assert.Equal(toolchain.TargetDirectory, request.Environment["CARGO_TARGET_DIR"]));
        Assert.StartsWith(_cache, toolchain.TargetDirectory, StringComparison.Ordinal);

        // The path dependency was compiled for the first candidate and reused as it was for the second.
        Assert.Equal(helper, Assert.Single(Directory.GetFiles(Path.Combine(toolchain.TargetDirectory, "release", "deps"), "libhelper-*.rlib")));
        Assert.Equal(helperWritten, File.GetLastWriteTimeUtc(helper));
    }

    [Fact]
    public void Toolchains_over_the_same_template_share_one_target_folder()
    {
        var other = _folder.Folder("other");
        File.Copy(Path.Combine(_template, "Cargo.toml"), Path.Combine(other, "Cargo.toml"));

        Assert.Equal(Toolchain().TargetDirectory, Toolchain(offline: false).TargetDirectory);
        Assert.NotEqual(Toolchain().TargetDirectory, Toolchains.RustCargo(other, new CargoToolchainOptions { CacheDirectory = _cache }).TargetDirectory);
    }

    [Fact]
    public async Task A_changed_template_is_copied_again_and_is_part_of_the_key()
    {
        var before = await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1)));
        _folder.Write("template/helper/src/lib.rs", "pub fn base() -> i64 {\n    50\n}\n");
        var after = await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1)));

        Assert.Equal("42", (await LanguageKit.RunAsync(before)).StandardOutput.Trim());
        Assert.False(after.CacheHit);
        Assert.Equal("52", (await LanguageKit.RunAsync(after)).StandardOutput.Trim());
    }

    [Fact]
    public async Task A_missing_cargo_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain(cargo: "cargo-genesis-missing").ProbeAsync());

        Assert.Equal("cargo-genesis-missing was not found on PATH or in ~/.cargo/bin: install Rust (rustup, with Cargo) or choose another language.", error.Message);
    }

    [Fact]
    public void A_folder_without_cargo_toml_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Toolchains.RustCargo(_folder.Folder("empty")));

        Assert.StartsWith("The Cargo project folder has no Cargo.toml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_file_outside_the_project_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Toolchains.RustCargo(_template, new CargoToolchainOptions { SourceFile = "../main.rs" }));

        Assert.StartsWith("CargoToolchainOptions.SourceFile must be a file path relative to the project folder", error.Message, StringComparison.Ordinal);
    }
}
