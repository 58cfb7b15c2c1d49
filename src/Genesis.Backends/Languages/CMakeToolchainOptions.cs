namespace Genesis.Execution;

/// <summary>Options of a <see cref="CMakeToolchain"/>.</summary>
public sealed class CMakeToolchainOptions : ToolchainOptions
{
    /// <summary>CMake, a path or a name looked up on <c>PATH</c>. Default: <c>cmake</c>.</summary>
    public string CMake { get; set; } = "cmake";

    /// <summary>The file of the project each candidate replaces, relative to the project folder. Default: <c>main.cpp</c>.</summary>
    public string SourceFile { get; set; } = "main.cpp";

    /// <summary>
    /// The executable target to build (<c>--target</c>) and run. Default: <see langword="null"/>: build everything and
    /// run the one executable the build folder holds (an error when there are several).
    /// </summary>
    public string? Target { get; set; }

    /// <summary>The build type (<c>CMAKE_BUILD_TYPE</c>, and <c>--config</c> for multi-configuration generators). Default: <c>Release</c>.</summary>
    public string BuildType { get; set; } = "Release";

    /// <summary>More arguments of the configure step (for example <c>-G Ninja</c>, <c>-DUSE_SIMD=ON</c>); part of the compile-cache key. Default: none.</summary>
    public IReadOnlyList<string> ConfigureArguments { get; set; } = [];

    /// <summary>More arguments of <c>cmake --build</c> (for example <c>--parallel</c>); part of the compile-cache key. Default: none.</summary>
    public IReadOnlyList<string> BuildArguments { get; set; } = [];

    internal CMakeToolchainOptions Clone() => CopyTo(new CMakeToolchainOptions
    {
        CMake = CMake,
        SourceFile = SourceFile,
        Target = Target,
        BuildType = BuildType,
        ConfigureArguments = [.. ConfigureArguments],
        BuildArguments = [.. BuildArguments],
    });

    private protected override void ValidateTools()
    {
        var type = GetType().Name;
        RequireProgram(CMake, type, nameof(CMake));
        ProjectWorkspace.RequireRelativeFile(SourceFile, type, nameof(SourceFile));
        if (Target is not null && string.IsNullOrWhiteSpace(Target))
        {
            throw new ArgumentException($"{type}.Target must name a CMake target or be null, was '{Target}'.", nameof(Target));
        }

        if (string.IsNullOrWhiteSpace(BuildType))
        {
            throw new ArgumentException($"{type}.BuildType must name a build type, was '{BuildType}'.", nameof(BuildType));
        }

        RequireArguments(ConfigureArguments, type, nameof(ConfigureArguments));
        RequireArguments(BuildArguments, type, nameof(BuildArguments));
    }
}
