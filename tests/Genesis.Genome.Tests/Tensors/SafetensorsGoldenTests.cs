using System.Text;
using Genesis.Tensors;

namespace Genesis.GenomeTests.Tensors;

/// <summary>Byte-exact output, checked by hand against the format: the same bytes the reference writer produces.</summary>
public sealed class SafetensorsGoldenTests
{
    private static readonly byte[] ZeroToFive =
    [
        0, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40,
    ];

    [Fact]
    public void A_tiny_F32_file_without_metadata_is_byte_exact()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata.Clear();
        writer.Add("attn.0", new float[] { 0, 1, 2, 3, 4, 5 }, [1, 2, 3]);

        // 64 header bytes: already a multiple of 8, so no padding.
        var header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        Assert.Equal(64, header.Length);
        byte[] expected = [64, 0, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(header), .. ZeroToFive];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void The_header_is_padded_with_spaces_to_a_multiple_of_8()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata.Clear();
        writer.Add("attn0", new float[] { 0, 1, 2, 3, 4, 5 }, [1, 1, 2, 3]);

        var header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        Assert.Equal(65, header.Length);
        byte[] expected = [72, 0, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(header + "       "), .. ZeroToFive];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void The_default_metadata_comes_first_and_BF16_and_F16_data_is_little_endian()
    {
        var writer = new SafetensorsWriter()
            .Add("h", new float[] { 1f, -2f }, [2], SafetensorsDType.F16)
            .Add("b", new float[] { 1f, -2f }, [2], SafetensorsDType.BF16);

        var header = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        var padding = new string(' ', (8 - (header.Length % 8)) % 8);
        byte[] data = [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3C, 0x00, 0xC0];
        var length = (byte)(header.Length + padding.Length);
        byte[] expected = [length, 0, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(header + padding), .. data];
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void An_empty_file_is_an_empty_object_padded_to_8()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata.Clear();
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32], writer.ToArray());
        using var file = SafetensorsFile.FromMemory(writer.ToArray());
        Assert.Empty(file.Tensors);
    }
}
