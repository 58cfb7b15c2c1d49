using Genesis.Execution.Tests.Support;
using static Genesis.Execution.Tests.Sandbox.SandboxTestSupport;

namespace Genesis.Execution.Tests.Sandbox;

/// <summary>Interpreters and compilers work inside the sandbox with the default policy; what they build runs from the working folder.</summary>
public sealed class ToolchainTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _work;

    public ToolchainTests() => _work = _folder.Folder("work");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Node_runs_a_script(SandboxMechanism mechanism)
    {
        var outcome = await Backend(mechanism).RunAsync(Request("node", "-e", "console.log(6 * 7)"));

        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal("42\n", outcome.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Python_multiprocessing_works_with_the_private_shared_memory(SandboxMechanism mechanism)
    {
        const string Script = """
            from multiprocessing import Pool
            if __name__ == "__main__":
                with Pool(2) as pool:
                    print(sum(pool.map(abs, [-1, -2, -3])))
            """;
        File.WriteAllText(Path.Combine(_work, "main.py"), Script);

        var outcome = await Backend(mechanism).RunAsync(Request("python3", "main.py"));

        Assert.True(outcome.Succeeded, Describe(outcome));
        Assert.Equal("6\n", outcome.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Gpp_compiles_a_program_that_then_runs_from_the_working_folder(SandboxMechanism mechanism)
    {
        File.WriteAllText(Path.Combine(_work, "main.cpp"), "#include <cstdio>\nint main() { std::printf(\"%d\\n\", 6 * 7); }\n");
        var backend = Backend(mechanism);

        var build = await backend.RunAsync(Request("g++", "-O2", "-o", "main", "main.cpp"));
        var run = await backend.RunAsync(Request("./main"));

        Assert.True(build.Succeeded, Describe(build));
        Assert.True(run.Succeeded, Describe(run));
        Assert.Equal("42\n", run.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Rustc_from_the_home_toolchain_compiles_a_program_that_then_runs(SandboxMechanism mechanism)
    {
        File.WriteAllText(Path.Combine(_work, "main.rs"), "fn main() { println!(\"{}\", 6 * 7); }\n");
        var backend = Backend(mechanism);

        var build = await backend.RunAsync(Request("rustc", "-O", "-o", "main", "main.rs"));
        var run = await backend.RunAsync(Request("./main"));

        Assert.True(build.Succeeded, Describe(build));
        Assert.True(run.Succeeded, Describe(run));
        Assert.Equal("42\n", run.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public async Task Cargo_builds_a_project_in_the_working_folder(SandboxMechanism mechanism)
    {
        File.WriteAllText(Path.Combine(_work, "Cargo.toml"), "[package]\nname = \"candidate\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Directory.CreateDirectory(Path.Combine(_work, "src"));
        File.WriteAllText(Path.Combine(_work, "src", "main.rs"), "fn main() { println!(\"{}\", 6 * 7); }\n");
        var backend = Backend(mechanism);

        var build = await backend.RunAsync(Request("cargo", "build", "--offline", "--quiet"));
        var run = await backend.RunAsync(Request("./target/debug/candidate"));

        Assert.True(build.Succeeded, Describe(build));
        Assert.True(run.Succeeded, Describe(run));
        Assert.Equal("42\n", run.StandardOutput);
    }

    private ProcessRequest Request(string program, params string[] arguments) => new()
    {
        FileName = program,
        Arguments = arguments,
        WorkingDirectory = _work,
        Timeout = TimeSpan.FromMinutes(5),
    };
}
