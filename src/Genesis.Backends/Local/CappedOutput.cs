using System.Buffers;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Reads a child's output stream to its end, keeping at most a fixed number of bytes and discarding (but still reading)
/// the rest, so the child never blocks on a full pipe.
/// </summary>
internal sealed class CappedOutput
{
    private const int ChunkSize = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _kept;
    private readonly int _cap;

    private CappedOutput(int cap)
    {
        _cap = cap;
        _kept = new ArrayBufferWriter<byte>(Math.Max(1, Math.Min(cap, ChunkSize)));
    }

    /// <summary>How many bytes were read in all, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Whether bytes beyond the cap were discarded.</summary>
    public bool Truncated => TotalBytes > _cap;

    /// <summary>
    /// Reads <paramref name="stream"/> until its end, an error, or <paramref name="cancellationToken"/>; never throws.
    /// The stream is disposed when reading stops.
    /// </summary>
    public static async Task<CappedOutput> ReadAsync(Stream stream, int cap, CancellationToken cancellationToken)
    {
        var output = new CappedOutput(cap);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var room = Math.Min(read, cap - output._kept.WrittenCount);
                if (room > 0)
                {
                    output._kept.Write(buffer.AsSpan(0, room));
                }

                output.TotalBytes += read;
            }
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed: keep what arrived.
        }
        catch (IOException)
        {
            // The pipe broke: keep what arrived.
        }
        catch (ObjectDisposedException)
        {
            // The stream was closed under us: keep what arrived.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        return output;
    }

    /// <summary>The kept bytes as UTF-8 text; a multi-byte character cut by the cap is left out rather than mangled.</summary>
    public string Text()
    {
        var bytes = _kept.WrittenSpan;
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        var chars = new char[decoder.GetCharCount(bytes, flush: !Truncated)];
        var count = decoder.GetChars(bytes, chars, flush: !Truncated);
        return new string(chars, 0, count);
    }
}
