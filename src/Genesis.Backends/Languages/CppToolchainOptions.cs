namespace Genesis.Execution;

/// <summary>Options of a <see cref="CppToolchain"/>.</summary>
public sealed class CppToolchainOptions : ToolchainOptions
{
    /// <summary>The compiler driver, a path or a name looked up on <c>PATH</c> (<c>g++</c>, <c>clang++</c>). Default: <c>g++</c>.</summary>
    public string Compiler { get; set; } = "g++";

    /// <summary>The flags before the source file; part of the compile-cache key. Default: <c>-O2 -std=c++17</c>.</summary>
    public IReadOnlyList<string> Flags { get; set; } = ["-O2", "-std=c++17"];

    /// <summary>The flags after the output file, where libraries go (for example <c>-lm</c>, <c>-pthread</c>); part of the key. Default: none.</summary>
    public IReadOnlyList<string> LinkFlags { get; set; } = [];

    internal CppToolchainOptions Clone() => CopyTo(new CppToolchainOptions { Compiler = Compiler, Flags = [.. Flags], LinkFlags = [.. LinkFlags] });

    private protected override void ValidateTools()
    {
        var type = GetType().Name;
        RequireProgram(Compiler, type, nameof(Compiler));
        RequireArguments(Flags, type, nameof(Flags));
        RequireArguments(LinkFlags, type, nameof(LinkFlags));
    }
}
