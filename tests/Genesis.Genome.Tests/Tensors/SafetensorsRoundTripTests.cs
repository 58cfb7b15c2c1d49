using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Genesis.Tensors;

namespace Genesis.GenomeTests.Tensors;

public sealed class SafetensorsRoundTripTests
{
    private static readonly float[] Specials =
    [
        0f, -0f, 1f, -1f, 0.1f, -3.75f, 65504f, 65520f, 1e-8f, 6e-5f, float.Epsilon, float.MaxValue, float.MinValue,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1.00390625f, 1.01171875f, 3.14159265f,
    ];

    [Fact]
    public void F32_round_trips_bit_for_bit_through_a_file()
    {
        using var folder = new TempFolder();
        var values = Specials.Concat(Seeded(1000, 7)).ToArray();
        new SafetensorsWriter().Add("w", values, [values.Length]).Save(folder.File("a.safetensors"));

        using var file = SafetensorsFile.Open(folder.File("a.safetensors"));
        var info = file.GetInfo("w");
        Assert.Equal(SafetensorsDType.F32, info.DType);
        Assert.Equal([(long)values.Length], info.Shape);
        Assert.Equal(Bits(values), Bits(file.GetSpan<float>("w").ToArray()));
        Assert.Equal(Bits(values), Bits(file.ReadSingles("w")));
    }

    [Fact]
    public void F16_round_trip_is_IEEE_round_to_nearest_even()
    {
        var values = Specials.Concat(Seeded(5000, 11)).ToArray();
        using var file = SafetensorsFile.FromMemory(new SafetensorsWriter().Add("h", values, [values.Length], SafetensorsDType.F16).ToArray());

        Assert.Equal(SafetensorsDType.F16, file.GetInfo("h").DType);
        var read = file.ReadSingles("h");
        for (var i = 0; i < values.Length; i++)
        {
            var expected = (float)(Half)values[i];
            Assert.True(BitsEqual(expected, read[i]), $"#{i}: {values[i]} -> {read[i]}, expected {expected}");
            if (float.IsNormal(values[i]) && Math.Abs(values[i]) is > 6.2e-5f and < 65504f)
            {
                Assert.True(Math.Abs(read[i] - values[i]) <= Math.Abs(values[i]) * Math.Pow(2, -11), $"#{i}: {values[i]} -> {read[i]}");
            }
        }

        Assert.Equal(float.PositiveInfinity, read[Array.IndexOf(values, 65520f)]);
        Assert.Equal(file.GetSpan<Half>("h").ToArray().Select(h => (float)h), read);
    }

    [Fact]
    public void BF16_round_trip_rounds_to_nearest_even_and_keeps_NaN_and_infinities()
    {
        float[] values = [1f + MathF.Pow(2, -8), 1f + MathF.Pow(2, -7) + MathF.Pow(2, -8), 1f + MathF.Pow(2, -8) + MathF.Pow(2, -20), -2.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -0f];
        float[] expected = [1f, 1f + MathF.Pow(2, -6), 1f + MathF.Pow(2, -7), -2.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.PositiveInfinity, -0f];
        using var file = SafetensorsFile.FromMemory(new SafetensorsWriter().Add("b", values, [3, 3], SafetensorsDType.BF16).ToArray());

        var read = file.ReadSingles("b");
        Assert.Equal(Bits(expected).Select(b => float.IsNaN(BitConverter.UInt32BitsToSingle(b)) ? 0x7FC00000u : b), Bits(read).Select(b => float.IsNaN(BitConverter.UInt32BitsToSingle(b)) ? 0x7FC00000u : b));
        Assert.True(float.IsNaN(read[4]));
    }

    [Fact]
    public void BF16_vector_and_scalar_paths_agree_with_a_reference_rounding_for_every_length_up_to_256()
    {
        for (var length = 0; length <= 256; length++)
        {
            var values = Seeded(length, length + 1);
            using var file = SafetensorsFile.FromMemory(new SafetensorsWriter().Add("b", values, [length], SafetensorsDType.BF16).ToArray());
            var stored = file.GetSpan<ushort>("b");
            var read = file.ReadSingles("b");
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(ReferenceBFloat16(values[i]), stored[i]);
                Assert.Equal(BitConverter.UInt32BitsToSingle((uint)stored[i] << 16), read[i]);
                Assert.True(Math.Abs(read[i] - values[i]) <= Math.Abs(values[i]) * Math.Pow(2, -8), $"length {length} #{i}");
            }
        }
    }

    [Fact]
    public void F64_and_I64_tensors_are_read_and_converted_to_float()
    {
        double[] doubles = [0.1, -2.5, 1e300, 3.0];
        long[] longs = [0, -7, 1L << 40, long.MaxValue];
        var writer = new SafetensorsWriter()
            .AddBytes("d", SafetensorsDType.F64, [2, 2], MemoryMarshal.AsBytes(doubles.AsSpan()).ToArray())
            .AddBytes("i", SafetensorsDType.I64, [4], MemoryMarshal.AsBytes(longs.AsSpan()).ToArray());
        using var file = SafetensorsFile.FromMemory(writer.ToArray());

        Assert.Equal(doubles, file.GetSpan<double>("d").ToArray());
        Assert.Equal(longs, file.GetSpan<long>("i").ToArray());
        Assert.Equal(doubles.Select(d => (float)d), file.ReadSingles("d"));
        Assert.Equal(longs.Select(l => (float)l), file.ReadSingles("i"));
    }

    [Fact]
    public void The_writer_sorts_by_descending_dtype_alignment_then_name_and_pads_the_header_to_8_bytes()
    {
        var writer = new SafetensorsWriter()
            .Add("b", new float[3], [3], SafetensorsDType.F16)
            .Add("a", new float[3], [3], SafetensorsDType.F16)
            .Add("z", new float[1], [1], SafetensorsDType.BF16)
            .Add("c", new float[2], [2])
            .AddBytes("y", SafetensorsDType.F64, [1], new byte[8])
            .AddBytes("x", SafetensorsDType.U8, [5], new byte[5]);
        var bytes = writer.ToArray();
        using var file = SafetensorsFile.FromMemory(bytes);

        Assert.Equal(["y", "c", "z", "a", "b", "x"], file.Tensors.Select(t => t.Name));
        Assert.Equal(0, file.Header.HeaderLength % 8);
        foreach (var tensor in file.Tensors.Where(t => t.ElementCount > 0))
        {
            Assert.Equal(0, (file.Header.DataOffset + tensor.DataBegin) % SafetensorsDTypes.GetByteSize(tensor.DType));
        }

        Assert.Equal(bytes.Length, writer.ComputeLength());
    }

    [Fact]
    public void Slices_of_one_array_in_any_order_and_mixed_dtypes_are_written_where_the_header_says()
    {
        var buffer = Seeded(40, 9);
        var memory = buffer.AsMemory();
        var writer = new SafetensorsWriter()
            .Add("a", memory[..10], [10])
            .Add("b", memory[10..20], [10])
            .Add("c", memory[30..40], [10])
            .Add("d", memory[20..30], [10])
            .Add("e", memory[..5], [5], SafetensorsDType.BF16)
            .Add("f", memory[5..20], [15], SafetensorsDType.F16)
            .AddBytes("g", SafetensorsDType.U8, [3], new byte[] { 1, 2, 3 });
        using var file = SafetensorsFile.FromMemory(writer.ToArray());

        Assert.Equal(buffer[..10], file.ReadSingles("a"));
        Assert.Equal(buffer[10..20], file.ReadSingles("b"));
        Assert.Equal(buffer[30..40], file.ReadSingles("c"));
        Assert.Equal(buffer[20..30], file.ReadSingles("d"));
        Assert.Equal(buffer[..5].Select(v => BitConverter.UInt32BitsToSingle((uint)ReferenceBFloat16(v) << 16)), file.ReadSingles("e"));
        Assert.Equal(buffer[5..20].Select(v => (float)(Half)v), file.ReadSingles("f"));
        Assert.Equal([1f, 2, 3], file.ReadSingles("g"));
    }

    [Fact]
    public void Names_sort_by_UTF8_bytes_like_the_reference_writer()
    {
        // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (F0 ...) in UTF-8 but after it in UTF-16 (D83D ...).
        var writer = new SafetensorsWriter().Add("\U0001F600", new float[1], [1]).Add("\uFF21", new float[1], [1]);
        using var file = SafetensorsFile.FromMemory(writer.ToArray());
        Assert.Equal(["\uFF21", "\U0001F600"], file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Metadata_defaults_to_format_pt_round_trips_and_can_be_left_out()
    {
        var writer = new SafetensorsWriter().Add("w", new float[1], [1]);
        using (var file = SafetensorsFile.FromMemory(writer.ToArray()))
        {
            Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, file.Metadata);
        }

        writer.Metadata["note"] = "quote \" backslash \\ newline \n tab \t ctrl \u0001 unicode é";
        using (var file = SafetensorsFile.FromMemory(writer.ToArray()))
        {
            Assert.Equal(writer.Metadata["note"], file.Metadata["note"]);
        }

        writer.Metadata.Clear();
        var bytes = writer.ToArray();
        Assert.DoesNotContain("__metadata__", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        using (var file = SafetensorsFile.FromMemory(bytes))
        {
            Assert.Empty(file.Metadata);
        }
    }

    [Fact]
    public void Scalars_and_empty_tensors_are_valid()
    {
        float[] scalar = [4f];
        var writer = new SafetensorsWriter().Add("scalar", scalar, []).Add("empty", Array.Empty<float>(), [0, 3]).Add("e2", Array.Empty<float>(), [2, 0]);
        using var file = SafetensorsFile.FromMemory(writer.ToArray());

        Assert.Equal(1, file.GetInfo("scalar").ElementCount);
        Assert.Empty(file.GetInfo("scalar").Shape);
        Assert.Equal(4f, file.ReadSingles("scalar")[0]);
        Assert.Equal(0, file.GetInfo("empty").ByteLength);
        Assert.Empty(file.ReadSingles("e2"));
    }

    [Fact]
    public void F32_spans_and_memory_are_views_of_the_mapping_and_die_with_the_file()
    {
        using var folder = new TempFolder();
        var values = Seeded(64, 3);
        new SafetensorsWriter().Add("w", values, [8, 8]).Add("h", values, [64], SafetensorsDType.BF16).Save(folder.File("m.safetensors"));

        var file = SafetensorsFile.Open(folder.File("m.safetensors"));
        var memory = file.GetMemory<float>("w");
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(file.GetSpan<float>("w")), ref MemoryMarshal.GetReference(memory.Span)));
        Assert.True(Unsafe.AreSame(
            ref Unsafe.As<byte, float>(ref MemoryMarshal.GetReference(file.GetBytes("w"))),
            ref MemoryMarshal.GetReference(file.GetSpan<float>("w"))));
        Assert.Equal(values, memory.ToArray());
        Assert.Throws<InvalidOperationException>(() => file.GetSpan<float>("h"));
        Assert.Throws<KeyNotFoundException>(() => file.GetInfo("nope"));
        Assert.Throws<ArgumentException>(() => file.ReadSingles("w", new float[63]));

        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => file.GetBytes("w").Length);
        file.Dispose();
    }

    [Fact]
    public void A_file_of_several_megabytes_is_read_through_the_mapping()
    {
        using var folder = new TempFolder();
        var big = Seeded(3_000_000, 5);
        var other = Seeded(1_000_001, 6);
        new SafetensorsWriter().Add("big", big, [3000, 1000]).Add("other", other, [1_000_001], SafetensorsDType.BF16).Save(folder.File("big.safetensors"));
        Assert.True(new FileInfo(folder.File("big.safetensors")).Length > 13_000_000);

        using var file = SafetensorsFile.Open(folder.File("big.safetensors"));
        Assert.True(file.GetSpan<float>("big").SequenceEqual(big));
        var converted = new float[other.Length];
        file.ReadSingles("other", converted);
        for (var i = 0; i < other.Length; i += 997)
        {
            Assert.Equal(ReferenceBFloat16(other[i]), (ushort)(BitConverter.SingleToUInt32Bits(converted[i]) >> 16));
        }
    }

    [Fact]
    public void A_file_truncated_after_opening_reads_as_InvalidDataException_not_a_fault()
    {
        using var folder = new TempFolder();
        var path = folder.File("t.safetensors");
        new SafetensorsWriter().Add("a", Seeded(1000, 1), [1000]).Add("b", Seeded(1000, 2), [1000], SafetensorsDType.BF16).Save(path);
        using var file = SafetensorsFile.Open(path);
        void Truncate()
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.SetLength(file.Header.DataOffset + 100);
        }

        if (OperatingSystem.IsWindows())
        {
            // Windows refuses to truncate a mapped file, so the situation cannot arise there.
            Assert.ThrowsAny<IOException>(Truncate);
            return;
        }

        Truncate();

        Assert.Contains("before the", Assert.Throws<InvalidDataException>(() => file.ReadSingles("a")).Message, StringComparison.Ordinal);
        Assert.Contains("before the", Assert.Throws<InvalidDataException>(() => file.ReadSingles("b")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("x.safetensors");
        new SafetensorsWriter().Add("w", new float[] { 1, 2 }, [2]).Save(path);

        using var old = SafetensorsFile.Open(path);
        new SafetensorsWriter().Add("w", new float[] { 3, 4, 5 }, [3]).Save(path, flushToDisk: true);

        using var fresh = SafetensorsFile.Open(path);
        Assert.Equal([3f, 4f, 5f], fresh.ReadSingles("w"));
        if (!OperatingSystem.IsWindows())
        {
            // A reader that had the old file open keeps a consistent old file: the new one arrived by rename.
            Assert.Equal([1f, 2f], old.ReadSingles("w"));
        }

        Assert.Equal(["x.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        Assert.Throws<DirectoryNotFoundException>(() => new SafetensorsWriter().Add("w", new float[1], [1]).Save(folder.File("missing/x.safetensors")));
    }

    [Fact]
    public void The_writer_rejects_bad_tensors_naming_them()
    {
        var writer = new SafetensorsWriter().Add("w", new float[4], [2, 2]);
        Assert.Contains("'w' was already added", Assert.Throws<ArgumentException>(() => writer.Add("w", new float[4], [4])).Message, StringComparison.Ordinal);
        Assert.Contains("'v' has shape [3, 2] (6 elements) but 4 values", Assert.Throws<ArgumentException>(() => writer.Add("v", new float[4], [3, 2])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add("n", Array.Empty<float>(), [-1, 0]));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", new float[1], [1]));
        Assert.Throws<ArgumentException>(() => writer.Add("\ud800", new float[1], [1]));
        Assert.Throws<ArgumentException>(() => writer.Add("i", new float[1], [1], SafetensorsDType.I32));
        Assert.Throws<ArgumentException>(() => writer.AddBytes("r", SafetensorsDType.F64, [2], new byte[15]));
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void Any_set_of_float_tensors_round_trips()
    {
        var dtype = Gen.Elements(SafetensorsDType.F32, SafetensorsDType.F16, SafetensorsDType.BF16);
        var tensor = from rows in Gen.Choose(0, 9)
                     from columns in Gen.Choose(1, 9)
                     from type in dtype
                     from values in Gen.ArrayOf(Gen.Choose(-100_000, 100_000).Select(i => i / 1000f), rows * columns)
                     select (rows, columns, type, values);
        Prop.ForAll(Arb.From(Gen.ListOf(tensor).Select(l => l.Take(8).ToList())), tensors =>
        {
            var writer = new SafetensorsWriter();
            for (var i = 0; i < tensors.Count; i++)
            {
                writer.Add($"t{i}", tensors[i].values, [tensors[i].rows, tensors[i].columns], tensors[i].type);
            }

            using var file = SafetensorsFile.FromMemory(writer.ToArray());
            return tensors.Select((t, i) => (t, i)).All(x =>
            {
                var read = file.ReadSingles($"t{x.i}");
                var expected = x.t.values.Select(v => x.t.type switch
                {
                    SafetensorsDType.F16 => (float)(Half)v,
                    SafetensorsDType.BF16 => BitConverter.UInt32BitsToSingle((uint)ReferenceBFloat16(v) << 16),
                    _ => v,
                });
                return file.GetInfo($"t{x.i}").DType == x.t.type && read.SequenceEqual(expected);
            });
        }).QuickCheckThrowOnFailure();
    }

    internal static float[] Seeded(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6)));
        }

        return values;
    }

    /// <summary>Round to nearest even written independently of the library: through double arithmetic on the 8-bit significand.</summary>
    internal static ushort ReferenceBFloat16(float value)
    {
        if (float.IsNaN(value) || float.IsInfinity(value) || value == 0)
        {
            return (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16 | (float.IsNaN(value) ? 0x40u : 0u));
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        var truncated = bits & 0xFFFF0000u;
        double low = BitConverter.UInt32BitsToSingle(truncated);
        double high = BitConverter.UInt32BitsToSingle(truncated + 0x10000u);
        if (double.IsInfinity(high))
        {
            // Past the largest finite value, the next representable step is 2^128 (which is infinity).
            high = Math.CopySign(Math.Pow(2, 128), value);
        }

        var toLow = Math.Abs(value - low);
        var toHigh = Math.Abs(high - value);
        var pickHigh = toHigh < toLow || (toHigh == toLow && ((truncated >> 16) & 1) == 1);
        return (ushort)((pickHigh ? truncated + 0x10000u : truncated) >> 16);
    }

    private static uint[] Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();

    private static bool BitsEqual(float x, float y) => BitConverter.SingleToUInt32Bits(x) == BitConverter.SingleToUInt32Bits(y) || (float.IsNaN(x) && float.IsNaN(y));
}
