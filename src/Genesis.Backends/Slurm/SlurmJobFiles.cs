using System.Globalization;
using System.Text;

namespace Genesis.Execution;

/// <summary>What a task script's <c>exit</c> file says: the program's exit code, or the signal that stopped the script.</summary>
/// <param name="ExitCode">The exit code, or <see langword="null"/> when the script was stopped by <see cref="Signal"/>.</param>
/// <param name="Signal">The signal's name (<c>TERM</c>, <c>INT</c>, <c>HUP</c>), or <see langword="null"/>.</param>
/// <param name="EndTime">The node's clock when the script ended, in Unix seconds, when known.</param>
internal sealed record SlurmExitRecord(int? ExitCode, string? Signal, double? EndTime);

/// <summary>Reads the files a task script leaves in its folder (see <see cref="SlurmJobScript"/>).</summary>
internal static class SlurmJobFiles
{
    /// <summary>The most characters of a job's Slurm log quoted in a failure's reason.</summary>
    public const int LogTailChars = 600;

    /// <summary>Reads the <c>exit</c> file; <see langword="null"/> while it is missing or not yet complete (a line ends it).</summary>
    public static SlurmExitRecord? ReadExit(string folder)
    {
        var text = ReadSmall(Path.Combine(folder, SlurmJobScript.ExitFile));
        if (text is null || !text.EndsWith('\n'))
        {
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2)
        {
            return null;
        }

        var endTime = parts.Length > 2 ? ParseTime(parts[2]) : null;
        if (parts[0] == "exit" && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
        {
            return new SlurmExitRecord(code, null, endTime);
        }

        return parts[0] == "signal" ? new SlurmExitRecord(null, parts[1], endTime) : null;
    }

    /// <summary>The node's clock when the script started, in Unix seconds; <see langword="null"/> when it has not started (or the file is not visible yet).</summary>
    public static double? ReadStarted(string folder) => ReadSmall(Path.Combine(folder, SlurmJobScript.StartedFile)) is { } text ? ParseTime(text.Trim()) ?? 0 : null;

    /// <summary>Why the program could not start, or <see langword="null"/>.</summary>
    public static string? ReadStartError(string folder) =>
        ReadSmall(Path.Combine(folder, SlurmJobScript.StartErrorFile)) is { } text && text.Trim().Length > 0 ? text.Trim() : null;

    /// <summary>The end of the job's Slurm log in one line, or <see langword="null"/> when it is empty or missing.</summary>
    public static string? ReadLogTail(string folder)
    {
        var (text, _) = ReadTail(Path.Combine(folder, SlurmJobScript.SlurmLogFile), LogTailChars);
        var line = string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length == 0 ? null : line;
    }

    /// <summary>
    /// Reads at most <paramref name="cap"/> bytes of <paramref name="path"/> as UTF-8; a multi-byte character cut by the
    /// cap is left out rather than mangled. A missing file reads as empty.
    /// </summary>
    public static (string Text, bool Truncated) ReadCapped(string path, int cap)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = stream.Length;
            var buffer = new byte[(int)Math.Min(cap, length)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var truncated = length > cap;
            var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
            var chars = new char[decoder.GetCharCount(buffer, 0, read, flush: !truncated)];
            var count = decoder.GetChars(buffer, 0, read, chars, 0, flush: !truncated);
            return (new string(chars, 0, count), truncated);
        }
        catch (FileNotFoundException)
        {
            return (string.Empty, false);
        }
        catch (DirectoryNotFoundException)
        {
            return (string.Empty, false);
        }
        catch (IOException)
        {
            return (string.Empty, false);
        }
        catch (UnauthorizedAccessException)
        {
            return (string.Empty, false);
        }
    }

    /// <summary>Deletes <paramref name="folder"/> and everything in it; a folder that cannot be deleted is left.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Still written to (a process the job left behind): leave it.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to delete: leave it.
        }
    }

    private static (string Text, bool Truncated) ReadTail(string path, int chars)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var skip = Math.Max(0, stream.Length - (chars * 4L));
            stream.Seek(skip, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            return text.Length > chars ? (text[^chars..], true) : (text, skip > 0);
        }
        catch (IOException)
        {
            return (string.Empty, false);
        }
        catch (UnauthorizedAccessException)
        {
            return (string.Empty, false);
        }
    }

    private static string? ReadSmall(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
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

    private static double? ParseTime(string text) =>
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
