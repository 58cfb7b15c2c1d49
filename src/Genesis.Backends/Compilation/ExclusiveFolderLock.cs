using System.Collections.Concurrent;

namespace Genesis.Execution;

/// <summary>
/// Exclusive use of a shared build folder (a Cargo target folder, a CMake build folder) by one build at a time, within
/// this process (a semaphore) and across processes (an advisory lock on a file beside the folder, polled).
/// </summary>
internal sealed class ExclusiveFolderLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly SemaphoreSlim _gate;
    private readonly FileStream _file;
    private bool _disposed;

    private ExclusiveFolderLock(SemaphoreSlim gate, FileStream file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>Waits until <paramref name="lockFile"/> can be held exclusively and holds it until disposed.</summary>
    public static async ValueTask<ExclusiveFolderLock> AcquireAsync(string lockFile, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(lockFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var gate = Gates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                try
                {
                    // FileShare.None takes an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new ExclusiveFolderLock(gate, file);
                }
                catch (IOException)
                {
                    // Another process holds it.
                }

                await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file.Dispose();
        _gate.Release();
    }
}
