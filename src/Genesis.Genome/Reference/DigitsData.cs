using System.Globalization;
using System.IO.Compression;

namespace Genesis.Reference;

/// <summary>
/// The 8x8 handwritten digits (UCI "Optical Recognition of Handwritten Digits", E. Alpaydin and C. Kaynak, 1998, CC BY 4.0):
/// <see cref="SampleCount"/> images of 64 pixels scaled to [0, 1] (row-major) with labels 0..9.
/// </summary>
public sealed class DigitsData
{
    /// <summary>Pixels per image.</summary>
    public const int Features = 64;

    /// <summary>Number of classes.</summary>
    public const int Classes = 10;

    /// <summary>Creates a data set over the given arrays (not copied).</summary>
    /// <param name="pixels">SampleCount·64 pixels in [0, 1].</param>
    /// <param name="labels">One label 0..9 per sample.</param>
    /// <exception cref="ArgumentException">The lengths disagree or a label is out of range.</exception>
    public DigitsData(float[] pixels, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != labels.Length * Features)
        {
            throw new ArgumentException($"DigitsData: {labels.Length} labels need {labels.Length * Features} pixels, was {pixels.Length}.", nameof(pixels));
        }

        if (labels.Any(l => l is < 0 or >= Classes))
        {
            throw new ArgumentException("DigitsData: labels must be between 0 and 9.", nameof(labels));
        }

        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>The pixels, 64 per sample.</summary>
    public float[] Pixels { get; }

    /// <summary>The labels.</summary>
    public int[] Labels { get; }

    /// <summary>The number of samples.</summary>
    public int SampleCount => Labels.Length;

    /// <summary>Loads <c>digits.csv.gz</c> (or a plain <c>.csv</c>): per line 64 integers 0..16 then the label.</summary>
    /// <param name="path">The file, or a folder holding <c>digits.csv.gz</c>.</param>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the line.</exception>
    public static DigitsData Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            path = System.IO.Path.Combine(path, "digits.csv.gz");
        }

        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var pixels = new List<float>();
        var labels = new List<int>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length != Features + 1)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 65 comma-separated integers, found {parts.Length}.");
            }

            for (var i = 0; i < Features; i++)
            {
                pixels.Add(ParseInt(parts[i], path, lineNumber) / 16f);
            }

            labels.Add(ParseInt(parts[Features], path, lineNumber));
        }

        return new DigitsData([.. pixels], [.. labels]);
    }

    /// <summary>The samples at the given indices, with <paramref name="transform"/> applied to each image.</summary>
    /// <param name="indices">Sample indices.</param>
    /// <param name="transform">The input transform.</param>
    /// <param name="seed">Seeds the noise of <see cref="DigitsTransform.Noise"/>.</param>
    public DigitsData Select(IReadOnlyList<int> indices, DigitsTransform transform, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new float[indices.Count * Features];
        var labels = new int[indices.Count];
        var random = new Random(seed);
        for (var i = 0; i < indices.Count; i++)
        {
            var source = Pixels.AsSpan(indices[i] * Features, Features);
            Apply(transform, source, pixels.AsSpan(i * Features, Features), random);
            labels[i] = Labels[indices[i]];
        }

        return new DigitsData(pixels, labels);
    }

    private static void Apply(DigitsTransform transform, ReadOnlySpan<float> source, Span<float> destination, Random random)
    {
        destination.Clear();
        for (var r = 0; r < 8; r++)
        {
            for (var c = 0; c < 8; c++)
            {
                var v = source[(r * 8) + c];
                switch (transform)
                {
                    case DigitsTransform.Identity:
                        destination[(r * 8) + c] = v;
                        break;
                    case DigitsTransform.Invert:
                        destination[(r * 8) + c] = 1f - v;
                        break;
                    case DigitsTransform.Rotate90:
                        destination[(c * 8) + (7 - r)] = v;
                        break;
                    case DigitsTransform.FlipHorizontal:
                        destination[(r * 8) + (7 - c)] = v;
                        break;
                    case DigitsTransform.Rotate90Invert:
                        destination[(c * 8) + (7 - r)] = 1f - v;
                        break;
                    case DigitsTransform.FlipInvert:
                        destination[(r * 8) + (7 - c)] = 1f - v;
                        break;
                    case DigitsTransform.ShiftRight:
                        Put(destination, r, c + 1, v);
                        break;
                    case DigitsTransform.ShiftLeft:
                        Put(destination, r, c - 1, v);
                        break;
                    case DigitsTransform.ShiftDown:
                        Put(destination, r + 1, c, v);
                        break;
                    case DigitsTransform.ShiftUp:
                        Put(destination, r - 1, c, v);
                        break;
                    case DigitsTransform.ShiftDownRight:
                        Put(destination, r + 1, c + 1, v);
                        break;
                    case DigitsTransform.InvertNoise:
                        destination[(r * 8) + c] = Math.Clamp(1f - v + (float)((random.NextDouble() - 0.5) * 0.8), 0f, 1f);
                        break;
                    case DigitsTransform.Noise:
                        destination[(r * 8) + c] = Math.Clamp(v + (float)((random.NextDouble() - 0.5) * 0.8), 0f, 1f);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform.");
                }
            }
        }
    }

    private static void Put(Span<float> destination, int r, int c, float v)
    {
        if (r is >= 0 and < 8 && c is >= 0 and < 8)
        {
            destination[(r * 8) + c] = v;
        }
    }

    private static int ParseInt(string text, string path, int line) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{path}:{line}: '{text}' is not an integer.");
}

/// <summary>An input transform that turns the digits into a task.</summary>
public enum DigitsTransform
{
    /// <summary>The images as they are (the base task).</summary>
    Identity,

    /// <summary>Intensities inverted (1 − x).</summary>
    Invert,

    /// <summary>Rotated 90° clockwise.</summary>
    Rotate90,

    /// <summary>Mirrored left to right.</summary>
    FlipHorizontal,

    /// <summary>Rotated 90° and inverted.</summary>
    Rotate90Invert,

    /// <summary>Mirrored and inverted.</summary>
    FlipInvert,

    /// <summary>Uniform noise of ±0.4 added, clamped to [0, 1].</summary>
    Noise,

    /// <summary>Shifted one pixel right (the vacated column is 0).</summary>
    ShiftRight,

    /// <summary>Shifted one pixel left.</summary>
    ShiftLeft,

    /// <summary>Shifted one pixel down.</summary>
    ShiftDown,

    /// <summary>Shifted one pixel up.</summary>
    ShiftUp,

    /// <summary>Shifted one pixel down and one right (the combination of two shift tasks).</summary>
    ShiftDownRight,

    /// <summary>Inverted, then uniform noise of ±0.4 added, clamped to [0, 1].</summary>
    InvertNoise,
}
