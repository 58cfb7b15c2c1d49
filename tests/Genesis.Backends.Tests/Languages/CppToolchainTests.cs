using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

public sealed class CppToolchainTests : IDisposable
{
    private const string Hypotenuse = """
        #include <cmath>
        #include <cstdio>
        #include <cstdlib>
        int main(int argc, char** argv) {
            double a = argc > 1 ? std::atof(argv[1]) : 3.0;
            std::printf("%.1f\n", std::sqrt(a * a + 16.0));
            return 0;
        }
        """;

    private const string Broken = """
        int main() {
            int x = "not a number";
            return x;
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CppToolchain Toolchain(string compiler = "g++") => Toolchains.Cpp(new CppToolchainOptions
    {
        Compiler = compiler,
        LinkFlags = ["-lm"],
        CacheDirectory = _folder.Folder("cache"),
    });

    [Fact]
    public async Task A_trivial_candidate_builds_and_runs()
    {
        var backend = new CountingBackend();
        var build = await Toolchain().BuildAsync(LanguageKit.Build(_folder, Hypotenuse, backend));

        Assert.True(build.Succeeded, build.CompilerOutput);
        Assert.Equal("main.cpp", Path.GetFileName(build.SourcePath));
        Assert.Equal("5.0", (await LanguageKit.RunAsync(build, "3")).StandardOutput.Trim());
        var compile = Assert.Single(backend.Requests);
        Assert.Equal(["-O2", "-std=c++17", "main.cpp", "-o", "main", "-lm"], compile.Arguments);
    }

    [Fact]
    public async Task A_compile_error_is_a_failed_build_with_the_compilers_message()
    {
        var request = LanguageKit.Build(_folder, Broken, Backends.Local(1));
        var build = await Toolchain().BuildAsync(request);

        Assert.False(build.Succeeded);
        Assert.Null(build.Run);
        Assert.Contains("main.cpp:2:", build.CompilerOutput, StringComparison.Ordinal);
        Assert.Contains("error: invalid conversion", build.CompilerOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(request.WorkingDirectory, build.CompilerOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_reports_the_compiler_and_its_flags()
    {
        var info = await Toolchain().ProbeAsync();

        Assert.Equal("g++", info.Tool);
        Assert.Contains("g++", info.Version, StringComparison.Ordinal);
        Assert.Equal("-O2 -std=c++17 -- -lm", info.Flags);
    }

    [Fact]
    public async Task A_missing_compiler_is_one_clear_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain("g++-genesis-missing").ProbeAsync());

        Assert.Equal("g++-genesis-missing was not found on PATH: install a C++ compiler (Debian: apt-get install g++) or choose another language.", error.Message);
    }

    [Fact]
    public async Task A_compiler_given_by_a_path_that_does_not_exist_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await Toolchain("/nonexistent/bin/g++").ProbeAsync());

        Assert.StartsWith("/nonexistent/bin/g++ was not found: install a C++ compiler", error.Message, StringComparison.Ordinal);
    }
}
