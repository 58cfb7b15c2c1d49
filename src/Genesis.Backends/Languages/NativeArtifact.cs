namespace Genesis.Execution;

/// <summary>The executable a native build leaves in the candidate's folder: <c>main</c> (<c>main.exe</c> on Windows).</summary>
internal static class NativeArtifact
{
    /// <summary>The executable's file name.</summary>
    public static string FileName { get; } = OperatingSystem.IsWindows() ? ToolchainCore.ProgramStem + ".exe" : ToolchainCore.ProgramStem;

    /// <summary>Starts the executable in <paramref name="workingDirectory"/>.</summary>
    public static ProcessRequest RunRequest(string workingDirectory) =>
        new() { FileName = Path.Combine(workingDirectory, FileName), WorkingDirectory = workingDirectory };

    /// <summary>A compile run from a compiler's outcome: succeeded only when the compiler did and the executable is there.</summary>
    public static CompileRun Check(ProcessOutcome outcome, CompileContext context, string output)
    {
        if (outcome.Succeeded && !File.Exists(Path.Combine(context.WorkingDirectory, FileName)))
        {
            return new CompileRun(false, CompilerOutput.Combine(output, $"The compiler exited with code 0 but wrote no {FileName}."), outcome, SourceDependent: false);
        }

        return new CompileRun(outcome.Succeeded, output, outcome);
    }
}
