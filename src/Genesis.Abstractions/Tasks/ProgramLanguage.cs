namespace Genesis;

/// <summary>
/// A programming language a candidate program is written in: its name as shown to the LLM, the file extension
/// its source is saved under, and the line-comment token its <c>EVOLVE-BLOCK</c> markers use.
/// </summary>
/// <param name="Name">The name used in prompts and code fences, for example <c>python</c>.</param>
/// <param name="FileExtension">The source file extension including the dot, for example <c>.py</c>.</param>
/// <param name="LineComment">The line-comment token, for example <c>#</c> or <c>//</c>.</param>
public sealed record ProgramLanguage(string Name, string FileExtension, string LineComment)
{
    /// <summary>Python 3 (<c>.py</c>, <c>#</c> comments).</summary>
    public static ProgramLanguage Python { get; } = new("python", ".py", "#");

    /// <summary>Rust (<c>.rs</c>, <c>//</c> comments).</summary>
    public static ProgramLanguage Rust { get; } = new("rust", ".rs", "//");

    /// <summary>C++ (<c>.cpp</c>, <c>//</c> comments).</summary>
    public static ProgramLanguage Cpp { get; } = new("cpp", ".cpp", "//");

    /// <summary>JavaScript (<c>.js</c>, <c>//</c> comments).</summary>
    public static ProgramLanguage JavaScript { get; } = new("javascript", ".js", "//");

    /// <summary>TypeScript (<c>.ts</c>, <c>//</c> comments).</summary>
    public static ProgramLanguage TypeScript { get; } = new("typescript", ".ts", "//");

    /// <summary>C# (<c>.cs</c>, <c>//</c> comments).</summary>
    public static ProgramLanguage CSharp { get; } = new("csharp", ".cs", "//");

    /// <summary>The languages Genesis knows by name.</summary>
    public static IReadOnlyList<ProgramLanguage> Known { get; } = [Python, Rust, Cpp, JavaScript, TypeScript, CSharp];

    /// <summary>Finds a known language by name or file extension (case-insensitive), or returns <see langword="null"/>.</summary>
    public static ProgramLanguage? Find(string nameOrExtension)
    {
        ArgumentNullException.ThrowIfNull(nameOrExtension);
        foreach (var language in Known)
        {
            if (string.Equals(language.Name, nameOrExtension, StringComparison.OrdinalIgnoreCase)
                || string.Equals(language.FileExtension, nameOrExtension, StringComparison.OrdinalIgnoreCase)
                || string.Equals(language.FileExtension.TrimStart('.'), nameOrExtension, StringComparison.OrdinalIgnoreCase))
            {
                return language;
            }
        }

        return nameOrExtension.ToLowerInvariant() switch
        {
            "py" or "python3" => Python,
            "c++" or "cc" or "cxx" => Cpp,
            "js" or "node" => JavaScript,
            "ts" => TypeScript,
            "cs" or "c#" => CSharp,
            "rs" => Rust,
            _ => null,
        };
    }
}
