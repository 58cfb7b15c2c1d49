using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class CMakeToolchainTests : IDisposable
{
    private const string PlusTwo = "#include <cstdio>\n#include \"util.h\"\nint main() { std::printf(\"%d\\n\", base() + 2); return 0; }\n";
    private const string PlusThree = "#include <cstdio>\n#include \"util.h\"\nint main() { std::printf(\"%d\\n\", base() + 3); return 0; }\n";
    private const string Broken = "#include \"util.h\"\nint main() {\n    int x = \"two\";\n    return base() + x;\n}\n";

    private readonly TempFolder _folder = new();
    private readonly string _template;
    private readonly string _cache;

    public CMakeToolchainTests()
    {
        _cache = _folder.Folder("cache");
        _template = _folder.Folder("template");
        _folder.Write("template/CMakeLists.txt", "cmake_minimum_required(VERSION 3.16)\nproject(candidate CXX)\nadd_executable(candidate main.cpp)\n");
        _folder.Write("template/util.h", "inline int base() { return 40; }\n");
        _folder.Write("template/main.cpp", "#include \"util.h\"\nint main() { return base(); }\n");
    }

    public void Dispose() => _folder.Dispose();

    private CMakeToolchain Toolchain(string cmake = "cmake", string? target = null) =>
        Toolchains.CMake(_template, new CMakeToolchainOptions { CMake = cmake, Target = target, CacheDirectory = _cache });

    [Fact]
    public async Task A_candidate_replaces_the_source_file_of_the_template_and_runs()
    {
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1)));

        Assert.True(build.Succeeded, build.CompilerOutput);
        Assert.Equal("main.cpp", Path.GetFileName(build.SourcePath));
        Assert.Equal("42", (await LanguageKit.RunAsync(build)).StandardOutput.Trim());
        Assert.False(Directory.Exists(Path.Combine(_template, "build")));
    }

    [Fact]
    public async Task The_project_is_configured_once_and_each_candidate_only_builds()
    {
        var backend = new CountingBackend();
        var toolchain = Toolchain();

        var first = await toolchain.BuildAsync(LanguageKit.Build(_folder, PlusTwo, backend));
        var configured = backend.Count;
        var second = await toolchain.BuildAsync(LanguageKit.Build(_folder, PlusThree, backend));

        Assert.Equal(2, configured);
        Assert.Equal(3, backend.Count);
        Assert.Equal("-S", backend.Requests[0].Arguments[0]);
        Assert.Equal(["--build", toolchain.BuildDirectory], backend.Requests[2].Arguments.Take(2));
        Assert.Equal("42", (await LanguageKit.RunAsync(first)).StandardOutput.Trim());
        Assert.Equal("43", (await LanguageKit.RunAsync(second)).StandardOutput.Trim());
    }

    [Fact]
    public async Task A_compile_error_reports_the_compilers_message_without_progress_lines()
    {
        var toolchain = Toolchain();
        var build = await toolchain.BuildAsync(LanguageKit.Build(_folder, Broken, Backends.Local(1)));

        Assert.False(build.Succeeded);
        Assert.Contains("main.cpp:3:", build.CompilerOutput, StringComparison.Ordinal);
        Assert.Contains("error: invalid conversion", build.CompilerOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[ 50%]", build.CompilerOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(toolchain.WorkspaceDirectory, build.CompilerOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_template_is_copied_again_and_configured_afresh()
    {
        var before = await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1)));
        _folder.Write("template/util.h", "inline int base() { return 50; }\n");
        var after = await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1)));

        Assert.Equal("42", (await LanguageKit.RunAsync(before)).StandardOutput.Trim());
        Assert.False(after.CacheHit);
        Assert.Equal("52", (await LanguageKit.RunAsync(after)).StandardOutput.Trim());
    }

    [Fact]
    public async Task Several_executables_need_a_target()
    {
        _folder.Write("template/CMakeLists.txt", "cmake_minimum_required(VERSION 3.16)\nproject(candidate CXX)\nadd_executable(candidate main.cpp)\nadd_executable(second second.cpp)\n");
        _folder.Write("template/second.cpp", "#include <cstdio>\nint main() { std::puts(\"second\"); return 0; }\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Toolchain().BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1))));
        var build = await Toolchain(target: "second").BuildAsync(LanguageKit.Build(_folder, PlusTwo, Backends.Local(1)));

        Assert.Contains("set CMakeToolchainOptions.Target", error.Message, StringComparison.Ordinal);
        Assert.Equal("second", (await LanguageKit.RunAsync(build)).StandardOutput.Trim());
    }

    [Fact]
    public async Task A_missing_cmake_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain(cmake: "cmake-genesis-missing").ProbeAsync());

        Assert.Equal("cmake-genesis-missing was not found on PATH: install CMake (Debian: apt-get install cmake) or choose another language.", error.Message);
    }

    [Fact]
    public void A_folder_without_cmakelists_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Toolchains.CMake(_folder.Folder("empty")));

        Assert.StartsWith("The CMake project folder has no CMakeLists.txt", error.Message, StringComparison.Ordinal);
    }
}
