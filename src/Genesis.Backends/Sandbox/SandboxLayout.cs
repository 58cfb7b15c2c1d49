namespace Genesis.Execution;

/// <summary>One host path bound into the sandbox at the same place.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Writable">Whether the sandbox may write to it.</param>
/// <param name="IsFile">Whether it is a file rather than a folder.</param>
internal readonly record struct SandboxBind(string Path, bool Writable, bool IsFile);

/// <summary>
/// The file-system view of a sandbox with a mount namespace: everything read-only, private scratch folders, hidden
/// paths replaced by empty ones, and the paths bound back in (read-only toolchains, writable folders, the working folder).
/// The policy's part is resolved once; <see cref="ForRun"/> adds a request's own paths.
/// </summary>
internal sealed class SandboxLayout
{
    /// <summary>The private, size-limited scratch folders every such sandbox gets (when they exist on the host).</summary>
    public static readonly string[] ScratchFolders = [SandboxEnvironment.ScratchFolder, "/var/tmp", "/dev/shm"];

    private readonly List<string> _hiddenFolders = [];
    private readonly List<string> _hiddenFiles = [];
    private readonly List<SandboxBind> _policyBinds = [];
    private readonly List<string> _writable = [];

    /// <summary>Resolves the policy's paths against this machine (<c>~</c> is <paramref name="home"/>).</summary>
    public SandboxLayout(SandboxPolicy policy, string? home)
    {
        var hidden = policy.HiddenPaths
            .Select(path => Expand(path, home))
            .OfType<string>()
            .Where(path => path != "/")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var path in hidden)
        {
            if (hidden.Any(other => other != path && IsUnder(path, other)) || ScratchFolders.Any(folder => IsUnder(path, folder)))
            {
                continue;
            }

            if (Directory.Exists(path))
            {
                _hiddenFolders.Add(path);
            }
            else if (File.Exists(path))
            {
                _hiddenFiles.Add(path);
            }
        }

        foreach (var path in policy.WritablePaths.Select(path => Expand(path, home)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (UncoversHidden(path))
            {
                throw new ArgumentException(
                    $"SandboxPolicy.WritablePaths must not hold a folder that contains a hidden path or a scratch folder, was '{path}'.",
                    nameof(policy));
            }

            _writable.Add(path);
        }

        foreach (var path in policy.ReadOnlyPaths.Select(path => Expand(path, home)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (IsCovered(path) && !UncoversHidden(path) && (Directory.Exists(path) || File.Exists(path)))
            {
                _policyBinds.Add(new SandboxBind(path, Writable: false, IsFile: File.Exists(path)));
            }
        }
    }

    /// <summary>The existing host folders replaced by an empty, read-only folder.</summary>
    public IReadOnlyList<string> HiddenFolders => _hiddenFolders;

    /// <summary>The existing host files replaced by an empty file.</summary>
    public IReadOnlyList<string> HiddenFiles => _hiddenFiles;

    /// <summary>The extra writable folders of the policy.</summary>
    public IReadOnlyList<string> WritableFolders => _writable;

    /// <summary>
    /// The binds of one run, parents before children: the policy's read-only paths, the request's own paths (its program,
    /// arguments that are existing absolute paths, the folders on its <c>PYTHONPATH</c>) where the sandbox would otherwise
    /// hide them, the policy's writable folders and the working folder.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">A writable folder of the policy does not exist.</exception>
    /// <exception cref="ArgumentException">The working folder contains a hidden path or a scratch folder (it would uncover them, writable).</exception>
    public List<SandboxBind> ForRun(string workingDirectory, string program, IReadOnlyList<string> arguments, string? pythonPath)
    {
        if (UncoversHidden(workingDirectory))
        {
            throw new ArgumentException(
                $"ProcessRequest.WorkingDirectory must not contain a path the sandbox hides or a scratch folder (it would be writable), was '{workingDirectory}'.",
                nameof(workingDirectory));
        }

        var binds = new Dictionary<string, SandboxBind>(StringComparer.Ordinal);
        foreach (var bind in _policyBinds)
        {
            binds[bind.Path] = bind;
        }

        var named = new List<string> { program };
        named.AddRange(arguments.Where(argument => argument.Length > 1 && argument[0] == '/'));
        if (!string.IsNullOrEmpty(pythonPath))
        {
            named.AddRange(pythonPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(entry => entry[0] == '/'));
        }

        foreach (var raw in named.Order(StringComparer.Ordinal))
        {
            string path;
            try
            {
                path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(raw));
            }
            catch (ArgumentException)
            {
                continue;
            }

            var isFile = File.Exists(path);
            if ((isFile || Directory.Exists(path)) && IsCovered(path) && !UncoversHidden(path)
                && !IsUnder(path, workingDirectory) && !_writable.Any(folder => IsUnder(path, folder))
                && !binds.Values.Any(bind => IsUnder(path, bind.Path)))
            {
                binds.TryAdd(path, new SandboxBind(path, Writable: false, isFile));
            }
        }

        foreach (var folder in _writable)
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"SandboxPolicy.WritablePaths names a folder that does not exist: {folder}");
            }

            binds[folder] = new SandboxBind(folder, Writable: true, IsFile: false);
        }

        binds[workingDirectory] = new SandboxBind(workingDirectory, Writable: true, IsFile: false);
        return [.. binds.Values.OrderBy(bind => bind.Path, StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    public static bool IsUnder(string path, string folder) =>
        folder == "/" || path == folder || (path.StartsWith(folder, StringComparison.Ordinal) && path.Length > folder.Length && path[folder.Length] == '/');

    /// <summary>Expands a leading <c>~</c> and normalizes the path; <see langword="null"/> when it needs an unknown home folder.</summary>
    public static string? Expand(string path, string? home)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            if (home is null)
            {
                return null;
            }

            path = home + path[1..];
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <summary>Whether the sandbox would hide <paramref name="path"/> (it lies in a hidden or scratch folder), so it must be bound back to be seen.</summary>
    private bool IsCovered(string path) =>
        _hiddenFolders.Any(folder => IsUnder(path, folder)) || ScratchFolders.Any(folder => IsUnder(path, folder));

    /// <summary>Whether binding <paramref name="path"/> would lay the host's view over a hidden or scratch path.</summary>
    private bool UncoversHidden(string path) =>
        _hiddenFolders.Any(folder => IsUnder(folder, path))
        || _hiddenFiles.Any(file => IsUnder(file, path))
        || ScratchFolders.Any(folder => IsUnder(folder, path));
}
