using System.Buffers.Binary;
using System.Text;
using Genesis.Tensors;

namespace Genesis.GenomeTests.Tensors;

/// <summary>
/// Mutated valid files (bit flips, truncation, extension, header text edits, lying length prefixes, random bytes)
/// must either parse, and then read without fault, or fail with <see cref="InvalidDataException"/>: never another
/// exception, an out-of-range read or a huge allocation. A fixed seed and a fixed number of cases keep it reproducible.
/// </summary>
public sealed class SafetensorsFuzzTests
{
    private static readonly byte[] HeaderAlphabet = "{}[]\":,0123456789-.eE \\uFabcdefghijklmnopqrstuvwxyz_"u8.ToArray();

    [Fact]
    public void Twenty_thousand_mutated_buffers_parse_or_fail_with_InvalidDataException()
    {
        var random = new Random(20250101);
        var seeds = Seeds();
        var outcomes = new int[2];
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Mutate(seeds[random.Next(seeds.Length)], random);
            outcomes[Exercise(() => SafetensorsFile.FromMemory(bytes, "fuzz"), $"case {i}")]++;
        }

        // Both outcomes occur, so the mutations are neither all fatal nor all harmless.
        Assert.True(outcomes[0] > 100, $"parsed {outcomes[0]}");
        Assert.True(outcomes[1] > 1000, $"rejected {outcomes[1]}");
    }

    [Fact]
    public void Five_hundred_mutated_files_behave_the_same_through_the_memory_mapping()
    {
        using var folder = new TempFolder();
        var random = new Random(7);
        var seeds = Seeds();
        for (var i = 0; i < 500; i++)
        {
            var bytes = Mutate(seeds[random.Next(seeds.Length)], random);
            var path = folder.File($"f{i % 8}.safetensors");
            File.WriteAllBytes(path, bytes);
            int fromMemory = Exercise(() => SafetensorsFile.FromMemory(bytes, "fuzz"), $"memory case {i}");
            Assert.Equal(fromMemory, Exercise(() => SafetensorsFile.Open(path), $"file case {i}"));
        }
    }

    /// <summary>0 when the bytes parsed and every tensor read back; 1 when they were rejected with InvalidDataException.</summary>
    private static int Exercise(Func<SafetensorsFile> open, string label)
    {
        SafetensorsFile file;
        try
        {
            file = open();
        }
        catch (InvalidDataException)
        {
            return 1;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{label}: {ex.GetType().Name} instead of InvalidDataException: {ex}");
            throw;
        }

        using (file)
        {
            long total = 0;
            foreach (var tensor in file.Tensors)
            {
                Assert.InRange(tensor.DataEnd, tensor.DataBegin, file.Header.DataLength);
                total += file.GetBytes(tensor.Name).Length;
                if (SafetensorsDTypes.IsConvertibleToSingle(tensor.DType))
                {
                    var values = file.ReadSingles(tensor.Name);
                    Assert.Equal(tensor.ElementCount, values.Length);
                }
            }

            Assert.Equal(file.Header.DataLength, total);
            Assert.Equal(file.Length, file.Header.DataOffset + file.Header.DataLength);
        }

        return 0;
    }

    private static byte[][] Seeds()
    {
        var a = new SafetensorsWriter()
            .Add("base_model.model.layers.0.q_proj.lora_A.weight", SafetensorsRoundTripTests.Seeded(24, 1), [3, 8])
            .Add("base_model.model.layers.0.q_proj.lora_B.weight", SafetensorsRoundTripTests.Seeded(12, 2), [4, 3], SafetensorsDType.BF16)
            .Add("h", SafetensorsRoundTripTests.Seeded(5, 3), [5], SafetensorsDType.F16)
            .Add("empty", Array.Empty<float>(), [0, 4])
            .AddBytes("d", SafetensorsDType.F64, [2], new byte[16])
            .AddBytes("i", SafetensorsDType.I64, [1, 1], new byte[8])
            .AddBytes("flags", SafetensorsDType.Bool, [3], new byte[] { 1, 0, 7 });
        a.Metadata["note"] = "fuzz seed";
        var b = new SafetensorsWriter().Add("x", new float[] { 1, 2, 3, 4 }, [2, 2]);
        b.Metadata.Clear();
        var c = new SafetensorsWriter().Add("s", new float[] { 7 }, [], SafetensorsDType.BF16);
        return [a.ToArray(), b.ToArray(), c.ToArray()];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var headerEnd = (int)Math.Min(bytes.Length, 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        var rounds = 1 + random.Next(3);
        for (var round = 0; round < rounds; round++)
        {
            switch (random.Next(9))
            {
                case 0:
                    // Flip a few bits anywhere.
                    for (var k = random.Next(1, 8); k > 0 && bytes.Length > 0; k--)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    bytes = bytes[..random.Next(bytes.Length + 1)];
                    break;
                case 2:
                    bytes = [.. bytes, .. RandomBytes(random, random.Next(1, 64))];
                    break;
                case 3:
                    // Replace a header byte with a JSON-ish character.
                    if (headerEnd > 8 && headerEnd <= bytes.Length)
                    {
                        bytes[random.Next(8, headerEnd)] = HeaderAlphabet[random.Next(HeaderAlphabet.Length)];
                    }

                    break;
                case 4:
                    // Change a number in the header (shape or offsets) to another, sometimes huge or negative.
                    bytes = EditNumber(bytes, headerEnd, random);
                    break;
                case 5:
                    // A lying length prefix.
                    if (bytes.Length >= 8)
                    {
                        ulong[] choices = [0, 1, 2, (ulong)bytes.Length, (ulong)bytes.Length - 8, (ulong)random.Next(), 100_000_000, 100_000_001, ulong.MaxValue, 1UL << 63];
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes, choices[random.Next(choices.Length)]);
                    }

                    break;
                case 6:
                    bytes = RandomBytes(random, random.Next(0, 200));
                    if (bytes.Length >= 8 && random.Next(2) == 0)
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)random.Next(bytes.Length - 7));
                    }

                    break;
                case 7:
                    // Delete or duplicate a slice of the header text.
                    if (headerEnd > 9 && headerEnd <= bytes.Length)
                    {
                        var start = random.Next(8, headerEnd - 1);
                        var length = random.Next(1, Math.Min(20, headerEnd - start));
                        bytes = random.Next(2) == 0
                            ? [.. bytes[..start], .. bytes[(start + length)..]]
                            : [.. bytes[..(start + length)], .. bytes[start..]];
                    }

                    break;
                default:
                    // Swap two header bytes (moves quotes, brackets and digits around).
                    if (headerEnd > 9 && headerEnd <= bytes.Length)
                    {
                        var x = random.Next(8, headerEnd);
                        var y = random.Next(8, headerEnd);
                        (bytes[x], bytes[y]) = (bytes[y], bytes[x]);
                    }

                    break;
            }
        }

        return bytes;
    }

    private static byte[] EditNumber(byte[] bytes, int headerEnd, Random random)
    {
        if (headerEnd <= 8 || headerEnd > bytes.Length)
        {
            return bytes;
        }

        var digits = Enumerable.Range(8, headerEnd - 8).Where(i => bytes[i] is >= (byte)'0' and <= (byte)'9').ToList();
        if (digits.Count == 0)
        {
            return bytes;
        }

        var at = digits[random.Next(digits.Count)];
        var end = at;
        while (end < headerEnd && bytes[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        string[] replacements = ["0", "1", "-1", "7", "18446744073709551615", "9223372036854775807", "9223372036854775808", "4294967296", "1.0", "1e3", "99999999999", random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var text = Encoding.ASCII.GetBytes(replacements[random.Next(replacements.Length)]);
        return [.. bytes[..at], .. text, .. bytes[end..]];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
