using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Languages;

/// <summary>What the language tests share: requests, running a built program, the real tools' paths.</summary>
internal static class LanguageKit
{
    /// <summary>A build of <paramref name="source"/> in a fresh candidate folder of <paramref name="folder"/>.</summary>
    public static BuildRequest Build(TempFolder folder, string source, IExecutionBackend backend, TimeSpan? timeout = null) => new()
    {
        SourceCode = source,
        WorkingDirectory = folder.Folder("candidate-" + Guid.NewGuid().ToString("N")),
        Backend = backend,
        Timeout = timeout ?? TimeSpan.FromMinutes(5),
    };

    /// <summary>An evaluation of <paramref name="code"/> in a fresh candidate folder of <paramref name="folder"/>.</summary>
    public static EvaluationRequest Evaluate(TempFolder folder, string code, ProgramLanguage language, IExecutionBackend? backend = null, TimeSpan? timeout = null) => new()
    {
        CandidateId = 1,
        Code = code,
        Language = language,
        WorkingDirectory = folder.Folder("candidate-" + Guid.NewGuid().ToString("N")),
        Backend = backend ?? Backends.Local(2),
        Timeout = timeout ?? TimeSpan.FromMinutes(5),
    };

    /// <summary>Runs what <paramref name="build"/> built, with <paramref name="arguments"/>.</summary>
    public static Task<ProcessOutcome> RunAsync(BuildResult build, params string[] arguments)
    {
        Assert.True(build.Succeeded, build.CompilerOutput);
        Assert.NotNull(build.Run);
        return Backends.Local(1).RunAsync(build.Run with { Arguments = [.. build.Run.Arguments, .. arguments], Timeout = TimeSpan.FromMinutes(1) });
    }

    /// <summary>The real rustc of this machine (on PATH or in ~/.cargo/bin).</summary>
    public static string Rustc() =>
        new ToolFinder(null, new Dictionary<string, string?>()).TryLocate("rustc", ToolFinder.CargoBinFolders())
        ?? throw new InvalidOperationException("rustc is not installed: the Rust tests need it.");

    /// <summary>The compile-cache entries under <paramref name="cacheDirectory"/>.</summary>
    public static IReadOnlyList<string> Entries(string cacheDirectory)
    {
        var layout = Path.Combine(cacheDirectory, "v1");
        return Directory.Exists(layout)
            ? Directory.GetFiles(layout, "entry.json", SearchOption.AllDirectories)
                .Select(path => Path.GetDirectoryName(path)!)
                .Where(path => !Path.GetRelativePath(layout, path).StartsWith("tmp" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ToList()
            : [];
    }

    /// <summary>Writes an executable shell script.</summary>
    public static string WriteScript(TempFolder folder, string name, string body)
    {
        var path = folder.Write(name, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }
}
