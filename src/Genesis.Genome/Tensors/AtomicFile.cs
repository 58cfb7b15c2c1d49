namespace Genesis.Tensors;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so a reader (or a run resumed after a kill) sees either
/// the old complete file or the new complete file, never a half-written one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically.</summary>
    /// <param name="path">The destination; its directory must exist.</param>
    /// <param name="length">The final length, used to preallocate the file.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="flushToDisk">Whether to flush to the storage device before the rename (survives power loss, costs an fsync).</param>
    public static void Write(string path, long length, Action<Stream> write, bool flushToDisk)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                PreallocationSize = length,
            }))
            {
                write(stream);
                stream.Flush(flushToDisk);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
