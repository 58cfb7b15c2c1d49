namespace Genesis.Execution;

/// <summary>Options of a <see cref="CargoToolchain"/>.</summary>
public sealed class CargoToolchainOptions : ToolchainOptions
{
    /// <summary>Cargo, a path or a name looked up on <c>PATH</c> and then in <c>$CARGO_HOME/bin</c> and <c>~/.cargo/bin</c>. Default: <c>cargo</c>.</summary>
    public string Cargo { get; set; } = "cargo";

    /// <summary>
    /// The compiler Cargo uses (passed as <c>RUSTC</c>): the one beside Cargo when it is there, otherwise looked up like
    /// <see cref="Cargo"/>. Default: <c>rustc</c>.
    /// </summary>
    public string Rustc { get; set; } = "rustc";

    /// <summary>The file of the project each candidate replaces, relative to the project folder. Default: <c>src/main.rs</c>.</summary>
    public string SourceFile { get; set; } = "src/main.rs";

    /// <summary>The Cargo profile (<c>--profile</c>). Default: <c>release</c>.</summary>
    public string Profile { get; set; } = "release";

    /// <summary>Whether Cargo runs with <c>--offline</c> (dependencies must be vendored, path dependencies, or in Cargo's local cache). Default: <see langword="false"/>.</summary>
    public bool Offline { get; set; }

    /// <summary>The binary target to build and run (<c>--bin</c>), needed only when the project has several. Default: <see langword="null"/>.</summary>
    public string? Binary { get; set; }

    /// <summary>More arguments of <c>cargo build</c> (for example <c>--features</c>, <c>simd</c>); part of the compile-cache key. Default: none.</summary>
    public IReadOnlyList<string> ExtraArguments { get; set; } = [];

    /// <summary>
    /// The target folder (<c>CARGO_TARGET_DIR</c>) every candidate's build shares, so that dependencies build once.
    /// Default: <see langword="null"/>, a folder under the cache folder, one per project folder.
    /// </summary>
    public string? TargetDirectory { get; set; }

    internal CargoToolchainOptions Clone() => CopyTo(new CargoToolchainOptions
    {
        Cargo = Cargo,
        Rustc = Rustc,
        SourceFile = SourceFile,
        Profile = Profile,
        Offline = Offline,
        Binary = Binary,
        ExtraArguments = [.. ExtraArguments],
        TargetDirectory = TargetDirectory,
    });

    private protected override void ValidateTools()
    {
        var type = GetType().Name;
        RequireProgram(Cargo, type, nameof(Cargo));
        RequireProgram(Rustc, type, nameof(Rustc));
        ProjectWorkspace.RequireRelativeFile(SourceFile, type, nameof(SourceFile));
        if (string.IsNullOrWhiteSpace(Profile))
        {
            throw new ArgumentException($"{type}.Profile must name a Cargo profile, was '{Profile}'.", nameof(Profile));
        }

        if (Binary is not null && string.IsNullOrWhiteSpace(Binary))
        {
            throw new ArgumentException($"{type}.Binary must name a binary target or be null, was '{Binary}'.", nameof(Binary));
        }

        RequireArguments(ExtraArguments, type, nameof(ExtraArguments));
        if (TargetDirectory is not null && string.IsNullOrWhiteSpace(TargetDirectory))
        {
            throw new ArgumentException($"{type}.TargetDirectory must name a folder or be null, was '{TargetDirectory}'.", nameof(TargetDirectory));
        }
    }
}
