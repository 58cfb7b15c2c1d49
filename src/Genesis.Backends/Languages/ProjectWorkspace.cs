using System.Security.Cryptography;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// A build folder shared by every candidate of one template project (a Cargo crate, a CMake project): a copy of the
/// template under the cache folder in which one source file is replaced per candidate, built by one candidate at a
/// time. Building in one fixed place is what lets the build tool reuse its work: Cargo keeps the compiled dependencies
/// (path dependencies too) in the shared target folder, CMake configures once.
/// </summary>
/// <remarks>
/// The copy is refreshed when the template's content changes (its hash, taken when the toolchain is probed, differs
/// from the stamp beside the copy). The build tools decide what to rebuild from modification times, so a replaced
/// source file always gets a time later than the previous source and the previous executable, even on a file system
/// whose clock has a coarse resolution.
/// </remarks>
internal sealed class ProjectWorkspace
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly HashSet<string> _excludedFolders;

    /// <summary>Creates the workspace of <paramref name="templateDirectory"/> under <paramref name="root"/>.</summary>
    /// <param name="templateDirectory">The user's template project (full path).</param>
    /// <param name="root">This workspace's own folder under the cache.</param>
    /// <param name="sourceFile">The file each candidate replaces, relative to the project.</param>
    /// <param name="excludedFolders">Folder names neither copied nor hashed (build outputs, <c>.git</c>).</param>
    public ProjectWorkspace(string templateDirectory, string root, string sourceFile, IEnumerable<string> excludedFolders)
    {
        TemplateDirectory = templateDirectory;
        Root = root;
        SourceFile = sourceFile.Replace('\\', '/');
        ProjectDirectory = Path.Combine(root, "project");
        SourcePath = Path.GetFullPath(Path.Combine(ProjectDirectory, SourceFile));
        _excludedFolders = new HashSet<string>(excludedFolders, StringComparer.Ordinal);
    }

    /// <summary>The template project.</summary>
    public string TemplateDirectory { get; }

    /// <summary>The workspace's folder under the cache.</summary>
    public string Root { get; }

    /// <summary>The copy of the template the builds run in.</summary>
    public string ProjectDirectory { get; }

    /// <summary>The replaced file, relative to the project, with <c>/</c> separators.</summary>
    public string SourceFile { get; }

    /// <summary>The replaced file in the copy.</summary>
    public string SourcePath { get; }

    private string StampPath => Path.Combine(Root, "project.stamp");

    /// <summary>The folder of the workspace of <paramref name="templateDirectory"/> for <paramref name="recipe"/> under <paramref name="cacheDirectory"/>.</summary>
    public static string RootFor(string cacheDirectory, string recipe, string templateDirectory) =>
        Path.Combine(cacheDirectory, recipe, CompileCacheKey.Compute([recipe, templateDirectory])[..16]);

    /// <summary>Checks a <c>SourceFile</c> option: a relative path inside the project.</summary>
    public static void RequireRelativeFile(string? value, string type, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || Path.IsPathRooted(value) || value.Replace('\\', '/').Split('/').Any(part => part is ".." or ""))
        {
            throw new ArgumentException($"{type}.{name} must be a file path relative to the project folder, inside it, was '{value}'.", name);
        }
    }

    /// <summary>Hashes the template: every file's relative path and content, except excluded folders and the replaced file.</summary>
    public string ComputeTemplateHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (relative, full) in TemplateFiles().OrderBy(file => file.Relative, StringComparer.Ordinal))
        {
            if (string.Equals(relative, SourceFile, StringComparison.Ordinal))
            {
                continue;
            }

            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(full)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Holds the workspace for one build.</summary>
    public ValueTask<ExclusiveFolderLock> LockAsync(TimeProvider timeProvider, CancellationToken cancellationToken) =>
        ExclusiveFolderLock.AcquireAsync(Path.Combine(Root, "lock"), timeProvider, cancellationToken);

    /// <summary>Makes the copy match the template whose hash is <paramref name="templateHash"/>. Call under the lock.</summary>
    /// <returns>Whether the copy was made afresh (the build folder may then be stale).</returns>
    public bool Sync(string templateHash)
    {
        if (Directory.Exists(ProjectDirectory) && File.Exists(StampPath) && File.ReadAllText(StampPath, Utf8) == templateHash)
        {
            return false;
        }

        // The stamp goes first and comes back last: a copy interrupted half way is redone.
        File.Delete(StampPath);
        if (Directory.Exists(ProjectDirectory))
        {
            Directory.Delete(ProjectDirectory, recursive: true);
        }

        foreach (var (relative, full) in TemplateFiles())
        {
            var target = Path.Combine(ProjectDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(full, target);
        }

        File.WriteAllText(StampPath, templateHash, Utf8);
        return true;
    }

    /// <summary>Writes a candidate's source into the copy, dated after <paramref name="previousOutput"/> (and the previous source). Call under the lock.</summary>
    public void WriteSource(string sourceCode, string? previousOutput)
    {
        var floor = DateTime.MinValue;
        if (File.Exists(SourcePath))
        {
            floor = File.GetLastWriteTimeUtc(SourcePath);
        }

        if (previousOutput is not null && File.Exists(previousOutput))
        {
            var output = File.GetLastWriteTimeUtc(previousOutput);
            floor = output > floor ? output : floor;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(SourcePath)!);
        File.WriteAllText(SourcePath, sourceCode, Utf8);
        if (File.GetLastWriteTimeUtc(SourcePath) <= floor)
        {
            File.SetLastWriteTimeUtc(SourcePath, floor.AddSeconds(1));
        }
    }

    private IEnumerable<(string Relative, string Full)> TemplateFiles()
    {
        var pending = new Stack<string>();
        pending.Push(TemplateDirectory);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                yield return (Path.GetRelativePath(TemplateDirectory, file).Replace('\\', '/'), file);
            }

            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (!_excludedFolders.Contains(Path.GetFileName(child)))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
