using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Genesis.Execution;

/// <summary>
/// Build outputs stored on disk by key (<see cref="CompileCacheKey"/>), so that an unchanged candidate is never compiled
/// twice, within a run or across runs. Failed builds are stored too, with their compiler output.
/// </summary>
/// <remarks>
/// <para>
/// Layout: <c>&lt;folder&gt;/v1/&lt;first two hex digits&gt;/&lt;key&gt;/entry.json</c> (the outcome and the compiler
/// output) and <c>files/</c> (the artifacts). An entry is written into <c>v1/tmp/&lt;key&gt;.&lt;pid&gt;.&lt;random&gt;</c>
/// and then renamed into place in one step, so a reader sees a whole entry or none; two builds of the same key racing
/// each other publish one entry (the loser's rename fails and its copy is deleted); a build killed half way leaves only
/// a folder under <c>tmp/</c>, which is never read and is deleted by the next cache user once its process is gone.
/// </para>
/// <para>
/// A hit puts the artifacts into the candidate's folder as hard links to the entry's read-only files (a copy where a
/// link is not possible, as across file systems): constant time, whatever the executable's size. Read-only, so that a
/// candidate running as another user (as the sandbox runs it) cannot change through its link what other candidates
/// get; a candidate running unsandboxed as the host's own user could change the cache folder in any case. Within one
/// process, concurrent builds of the same key share one compilation.
/// </para>
/// </remarks>
internal sealed class CompileCache
{
    /// <summary>The environment variable that moves the default cache folder.</summary>
    public const string DirectoryVariable = "GENESIS_CACHE_DIR";

    private const string LayoutFolder = "v1";
    private const string StagingFolder = "tmp";
    private const string EntryFileName = "entry.json";
    private const string FilesFolderName = "files";
    private const int EntryFormat = 1;

    private static readonly ConcurrentDictionary<string, Task<CompiledBuild>> InFlight = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Swept = new(StringComparer.Ordinal);

    /// <summary>Creates a cache in <paramref name="directory"/>; nothing is written until the first build.</summary>
    public CompileCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The cache's folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// The default folder: <c>$GENESIS_CACHE_DIR</c> when set, otherwise <c>~/.cache/genesis/builds</c>.
    /// </summary>
    public static string DefaultDirectory => ResolveDefaultDirectory(
        System.Environment.GetEnvironmentVariable(DirectoryVariable),
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));

    /// <summary>The default folder given the value of <see cref="DirectoryVariable"/> and the home folder.</summary>
    internal static string ResolveDefaultDirectory(string? variable, string home) =>
        !string.IsNullOrWhiteSpace(variable)
            ? Path.GetFullPath(variable)
            : Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache", "genesis", "builds");

    /// <summary>The folder of the entry for <paramref name="key"/> (which may not exist).</summary>
    public string EntryDirectory(string key) => Path.Combine(Directory, LayoutFolder, key[..2], key);

    /// <summary>The folder partial entries are written to before they are published.</summary>
    internal string StagingDirectory => Path.Combine(Directory, LayoutFolder, StagingFolder);

    /// <summary>
    /// Returns the stored build for <paramref name="key"/> (placing its artifacts into <paramref name="targetDirectory"/>),
    /// or compiles it with <paramref name="build"/>, which works in <paramref name="targetDirectory"/>, and stores the
    /// outcome when it is <see cref="CompiledBuild.Cacheable"/>.
    /// </summary>
    /// <returns>The build, and whether it came from the cache (or from a concurrent compilation of the same key) instead of from <paramref name="build"/>.</returns>
    public async ValueTask<(CompiledBuild Build, bool Hit)> GetOrBuildAsync(
        string key,
        string targetDirectory,
        Func<CancellationToken, ValueTask<CompiledBuild>> build,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(build);
        SweepOnce();
        var entryDirectory = EntryDirectory(key);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryRestore(key, targetDirectory) is { } stored)
            {
                return (stored, true);
            }

            var mine = new TaskCompletionSource<CompiledBuild>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = InFlight.GetOrAdd(entryDirectory, mine.Task);
            if (running != mine.Task)
            {
                CompiledBuild other;
                try
                {
                    other = await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The other build was cancelled or failed: try again, building ourselves if nobody else does.
                    InFlight.TryRemove(new KeyValuePair<string, Task<CompiledBuild>>(entryDirectory, running));
                    continue;
                }

                if (TryRestore(key, targetDirectory) is { } published)
                {
                    return (published, true);
                }

                if (!other.Succeeded)
                {
                    // Not stored (a compiler timeout, say): the same source gets the same answer without a second try.
                    return (other, true);
                }

                // Built but not stored (the cache folder is not writable): build here.
                InFlight.TryRemove(new KeyValuePair<string, Task<CompiledBuild>>(entryDirectory, running));
                continue;
            }

            try
            {
                // Another process (or a build that just finished here) may have published since the first look.
                if (TryRestore(key, targetDirectory) is { } late)
                {
                    mine.SetResult(late);
                    return (late, true);
                }

                var built = await build(cancellationToken).ConfigureAwait(false);
                if (built.Cacheable)
                {
                    Publish(key, built, targetDirectory);
                }

                mine.SetResult(built);
                return (built, false);
            }
            catch (OperationCanceledException e)
            {
                mine.SetCanceled(e.CancellationToken);
                throw;
            }
            catch (Exception e)
            {
                mine.SetException(e);
                _ = mine.Task.Exception;
                throw;
            }
            finally
            {
                InFlight.TryRemove(new KeyValuePair<string, Task<CompiledBuild>>(entryDirectory, mine.Task));
            }
        }
    }

    /// <summary>
    /// Places the stored artifacts of <paramref name="key"/> into <paramref name="targetDirectory"/> (hard links, or copies) and returns the stored
    /// build, or returns <see langword="null"/> on a miss. An unreadable or incomplete entry is removed and counts as a miss.
    /// </summary>
    public CompiledBuild? TryRestore(string key, string targetDirectory)
    {
        var entryDirectory = EntryDirectory(key);
        var manifest = Path.Combine(entryDirectory, EntryFileName);
        if (!File.Exists(manifest))
        {
            return null;
        }

        var stored = ReadManifest(manifest);
        if (stored is null)
        {
            Discard(key, entryDirectory);
            return null;
        }

        try
        {
            foreach (var file in stored.Files)
            {
                var source = Path.Combine(entryDirectory, FilesFolderName, file);
                var target = Path.Combine(targetDirectory, file);
                if (!File.Exists(source))
                {
                    Discard(key, entryDirectory);
                    return null;
                }

                CreateParent(target);
                ArtifactFiles.Place(source, target);
            }
        }
        catch (FileNotFoundException)
        {
            Discard(key, entryDirectory);
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            Discard(key, entryDirectory);
            return null;
        }

        return stored;
    }

    /// <summary>
    /// Stores <paramref name="build"/> under <paramref name="key"/>, copying its files from <paramref name="sourceDirectory"/>.
    /// Best effort: a full disk or a permission problem leaves the cache as it was and returns <see langword="false"/>.
    /// </summary>
    /// <returns>Whether an entry for the key exists afterwards (this one, or one a concurrent build published first).</returns>
    public bool Publish(string key, CompiledBuild build, string sourceDirectory)
    {
        ArgumentNullException.ThrowIfNull(build);
        var staging = Path.Combine(StagingDirectory, $"{key}.{System.Environment.ProcessId}.{Guid.NewGuid():N}");
        var entryDirectory = EntryDirectory(key);
        try
        {
            var files = Path.Combine(staging, FilesFolderName);
            System.IO.Directory.CreateDirectory(files);
            foreach (var file in build.Files)
            {
                var target = Path.Combine(files, file);
                CreateParent(target);
                File.Copy(Path.Combine(sourceDirectory, file), target);
                ArtifactFiles.Seal(target);
            }

            // The manifest last: a staging folder without it is plainly incomplete (it is never read anyway).
            File.WriteAllBytes(Path.Combine(staging, EntryFileName), WriteManifest(build));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(entryDirectory)!);
            System.IO.Directory.Move(staging, entryDirectory);
            return true;
        }
        catch (IOException)
        {
            // Most often: a concurrent build of the same key renamed its entry into place first.
            return File.Exists(Path.Combine(entryDirectory, EntryFileName));
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            DeleteQuietly(staging);
        }
    }

    /// <summary>Deletes the staging folders of processes that no longer run (builds killed while publishing). Once per folder and process.</summary>
    internal void SweepOnce()
    {
        if (!Swept.TryAdd(Directory, true))
        {
            return;
        }

        Sweep();
    }

    /// <summary>Deletes the staging folders of processes that no longer run.</summary>
    internal void Sweep()
    {
        string[] folders;
        try
        {
            folders = System.IO.Directory.GetDirectories(StagingDirectory);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            var parts = Path.GetFileName(folder).Split('.');
            if (parts.Length == 3 && int.TryParse(parts[1], out var pid) && !IsRunning(pid))
            {
                DeleteQuietly(folder);
            }
        }
    }

    private void Discard(string key, string entryDirectory)
    {
        // Rename first, so that no reader copies from a half-deleted entry; then delete.
        var doomed = Path.Combine(StagingDirectory, $"{key}.{System.Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.CreateDirectory(StagingDirectory);
            System.IO.Directory.Move(entryDirectory, doomed);
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        DeleteQuietly(doomed);
    }

    private static bool IsRunning(int pid)
    {
        if (pid == System.Environment.ProcessId)
        {
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            return System.IO.Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void CreateParent(string file)
    {
        var parent = Path.GetDirectoryName(file);
        if (!string.IsNullOrEmpty(parent))
        {
            System.IO.Directory.CreateDirectory(parent);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Someone else is deleting it, or a file is busy: a later sweep removes it.
        }
        catch (UnauthorizedAccessException)
        {
            // Left for a later sweep.
        }
    }

    private static byte[] WriteManifest(CompiledBuild build)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", EntryFormat);
            writer.WriteBoolean("succeeded", build.Succeeded);
            writer.WriteString("compilerOutput", build.CompilerOutput);
            writer.WriteStartArray("files");
            foreach (var file in build.Files)
            {
                writer.WriteStringValue(file);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static CompiledBuild? ReadManifest(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format) || !format.TryGetInt32(out var number) || number != EntryFormat
                || !root.TryGetProperty("succeeded", out var succeeded) || succeeded.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !root.TryGetProperty("compilerOutput", out var output) || output.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var names = new List<string>();
            foreach (var file in files.EnumerateArray())
            {
                if (file.GetString() is not { Length: > 0 } name || Path.IsPathRooted(name) || name.Split('/', '\\').Contains(".."))
                {
                    return null;
                }

                names.Add(name);
            }

            return new CompiledBuild(succeeded.GetBoolean(), output.GetString()!, names);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
