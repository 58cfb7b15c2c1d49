using Genesis.Execution;

namespace Genesis;

public static partial class Toolchains
{
    /// <summary>C#: Roslyn compiles the candidate in the host into <c>main.dll</c>, which runs as <c>dotnet main.dll</c> on the request's backend.</summary>
    public static CSharpToolchain CSharp(CSharpToolchainOptions? options = null) => new(options);

    static partial void ForOtherLanguage(ProgramLanguage language, ref IToolchain? toolchain)
    {
        if (language == ProgramLanguage.CSharp)
        {
            toolchain = CSharp();
        }
    }
}
