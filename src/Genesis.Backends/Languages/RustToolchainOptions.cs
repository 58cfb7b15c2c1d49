namespace Genesis.Execution;

/// <summary>Options of a <see cref="RustToolchain"/>.</summary>
public sealed class RustToolchainOptions : ToolchainOptions
{
    /// <summary>
    /// The compiler, a path or a name looked up on <c>PATH</c> and then in <c>$CARGO_HOME/bin</c> and <c>~/.cargo/bin</c>
    /// (where rustup installs it). Default: <c>rustc</c>.
    /// </summary>
    public string Rustc { get; set; } = "rustc";

    /// <summary>The flags before the source file; part of the compile-cache key. Default: <c>-O --edition 2021</c>.</summary>
    public IReadOnlyList<string> Flags { get; set; } = ["-O", "--edition", "2021"];

    internal RustToolchainOptions Clone() => CopyTo(new RustToolchainOptions { Rustc = Rustc, Flags = [.. Flags] });

    private protected override void ValidateTools()
    {
        var type = GetType().Name;
        RequireProgram(Rustc, type, nameof(Rustc));
        RequireArguments(Flags, type, nameof(Flags));
    }
}
