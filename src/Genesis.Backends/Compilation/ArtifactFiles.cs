using System.Runtime.InteropServices;

namespace Genesis.Execution;

/// <summary>
/// Places a cached artifact into a candidate's folder: a hard link where the file system allows it (constant time,
/// whatever the executable's size), a copy otherwise (another file system, Windows). Cached files are made read-only
/// first, so that a candidate running as another user than the host (as the sandbox runs it) cannot change the entry
/// through its link.
/// </summary>
internal static partial class ArtifactFiles
{
    private const UnixFileMode ReadOnly =
        UnixFileMode.UserRead | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Makes a file about to be published read-only, keeping it executable when it was.</summary>
    public static void Seal(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
            return;
        }

        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, (mode & AnyExecute) != 0 ? ReadOnly : ReadOnly & ~AnyExecute);
    }

    /// <summary>Puts <paramref name="source"/> at <paramref name="target"/>, replacing what is there: a hard link, or a copy.</summary>
    /// <returns>Whether a hard link was made.</returns>
    public static bool Place(string source, string target)
    {
        if (File.Exists(target) || Directory.Exists(target))
        {
            File.Delete(target);
        }

        if (!OperatingSystem.IsWindows() && Link(source, target) == 0)
        {
            return true;
        }

        // EXDEV (another file system), EPERM (a file system without hard links), and the like: a copy does.
        File.Copy(source, target, overwrite: true);
        return false;
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);
}
