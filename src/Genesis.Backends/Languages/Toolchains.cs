using Genesis.Execution;

namespace Genesis;

/// <summary>
/// Creates the built-in <see cref="IToolchain"/>s, one per language and build style. Each probes its tools on first use
/// (or when <see cref="IToolchain.ProbeAsync"/> is called) and builds through the compile cache.
/// </summary>
public static partial class Toolchains
{
    /// <summary>The default toolchain of each language, by <see cref="ProgramLanguage.Name"/>.</summary>
    private static readonly Dictionary<string, Func<IToolchain>> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        [ProgramLanguage.Python.Name] = () => Python(),
        [ProgramLanguage.Rust.Name] = () => Rust(),
        [ProgramLanguage.Cpp.Name] = () => Cpp(),
        [ProgramLanguage.JavaScript.Name] = () => JavaScript(),
        [ProgramLanguage.TypeScript.Name] = () => TypeScript(),
    };

    /// <summary>Python 3: <c>python3 main.py</c>, no build step unless <see cref="PythonToolchainOptions.CheckSyntax"/>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public static PythonToolchain Python(PythonToolchainOptions? options = null) => new(options);

    /// <summary>Rust, one file: <c>rustc -O --edition 2021 main.rs -o main</c>, then <c>./main</c>.</summary>
    /// <param name="options">The options (compiler, flags, cache); <see langword="null"/> for the defaults.</param>
    public static RustToolchain Rust(RustToolchainOptions? options = null) => new(options);

    /// <summary>
    /// Rust, a Cargo project: the candidate replaces <c>src/main.rs</c> of the template in <paramref name="projectDirectory"/>,
    /// and <c>cargo build --profile release</c> runs with a target folder shared by every candidate.
    /// </summary>
    /// <param name="projectDirectory">The template project, a folder with a <c>Cargo.toml</c>.</param>
    /// <param name="options">The options (source file, profile, <c>--offline</c>, binary); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The folder has no <c>Cargo.toml</c>.</exception>
    public static CargoToolchain RustCargo(string projectDirectory, CargoToolchainOptions? options = null) => new(projectDirectory, options);

    /// <summary>C++, one file: <c>g++ -O2 -std=c++17 main.cpp -o main</c>, then <c>./main</c>.</summary>
    /// <param name="options">The options (compiler, flags, cache); <see langword="null"/> for the defaults.</param>
    public static CppToolchain Cpp(CppToolchainOptions? options = null) => new(options);

    /// <summary>
    /// C++, a CMake project: the candidate replaces <c>main.cpp</c> of the template in <paramref name="projectDirectory"/>,
    /// which is configured once (<c>cmake -S -B</c>) and built with <c>cmake --build</c>.
    /// </summary>
    /// <param name="projectDirectory">The template project, a folder with a <c>CMakeLists.txt</c>.</param>
    /// <param name="options">The options (source file, target, build type); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The folder has no <c>CMakeLists.txt</c>.</exception>
    public static CMakeToolchain CMake(string projectDirectory, CMakeToolchainOptions? options = null) => new(projectDirectory, options);

    /// <summary>JavaScript: <c>node main.js</c>, no build step unless <see cref="JavaScriptToolchainOptions.CheckSyntax"/>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public static JavaScriptToolchain JavaScript(JavaScriptToolchainOptions? options = null) => new(options);

    /// <summary>TypeScript: <c>tsc</c> (from npm) compiles <c>main.ts</c> to <c>main.js</c>, which runs with <c>node</c>.</summary>
    /// <param name="options">The options (where <c>tsc</c> is, flags); <see langword="null"/> for the defaults.</param>
    public static TypeScriptToolchain TypeScript(TypeScriptToolchainOptions? options = null) => new(options);

    /// <summary>The default toolchain of <paramref name="language"/>, with default options.</summary>
    /// <param name="language">A language with a built-in toolchain: Python, Rust, C++, JavaScript, TypeScript (and C# where its toolchain is part of the package).</param>
    /// <exception cref="ArgumentException">No built-in toolchain builds <paramref name="language"/>.</exception>
    public static IToolchain For(ProgramLanguage language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var toolchain = Defaults.TryGetValue(language.Name, out var create) ? create() : null;
        if (toolchain is null)
        {
            ForOtherLanguage(language, ref toolchain);
        }

        return toolchain ?? throw new ArgumentException(
            $"No built-in toolchain builds '{language.Name}'. Use one of Toolchains.Python, Rust, RustCargo, Cpp, CMake, JavaScript, TypeScript, or implement IToolchain.",
            nameof(language));
    }

    /// <summary>Lets another part of this class (the C# toolchain's) answer <see cref="For"/> for its language.</summary>
    static partial void ForOtherLanguage(ProgramLanguage language, ref IToolchain? toolchain);
}
