namespace Genesis.Execution;

/// <summary>Finds the file a <see cref="ProcessRequest.FileName"/> names, the way a shell started in the working folder would.</summary>
internal static class ProgramLocator
{
    /// <summary>
    /// Resolves <paramref name="fileName"/>: a rooted path as it is, a path with a folder part against
    /// <paramref name="workingDirectory"/>, and a bare name on <paramref name="path"/>.
    /// </summary>
    /// <returns>The full path, or <see langword="null"/> with <paramref name="error"/> saying why not.</returns>
    public static string? Resolve(string fileName, string workingDirectory, string? path, out string? error)
    {
        error = null;
        if (Path.IsPathRooted(fileName) || fileName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || fileName.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName, workingDirectory);
            if (IsExecutableFile(full, out var reason))
            {
                return full;
            }

            error = $"program '{fileName}' {reason}";
            return null;
        }

        string? firstReason = null;
        foreach (var folder in (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate;
            try
            {
                candidate = Path.GetFullPath(Path.Combine(folder, fileName), workingDirectory);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (IsExecutableFile(candidate, out var reason))
            {
                return candidate;
            }

            if (File.Exists(candidate))
            {
                firstReason ??= $"program '{fileName}' was found at {candidate} but {reason}";
            }
        }

        error = firstReason ?? $"program '{fileName}' was not found on PATH";
        return null;
    }

    private static bool IsExecutableFile(string fullPath, out string reason)
    {
        if (!File.Exists(fullPath))
        {
            reason = Directory.Exists(fullPath) ? "is a folder, not a program" : "was not found";
            return false;
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((File.GetUnixFileMode(fullPath) & anyExecute) == 0)
            {
                reason = "is not executable";
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }
}
