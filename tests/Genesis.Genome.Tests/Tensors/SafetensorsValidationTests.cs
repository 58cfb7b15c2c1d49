using System.Text.Json;
using Genesis.Tensors;
using static Genesis.GenomeTests.Tensors.RawSafetensors;

namespace Genesis.GenomeTests.Tensors;

/// <summary>Every validation rule, each with a hand-made malformed file and the message it must give.</summary>
public sealed class SafetensorsValidationTests
{
    [Fact]
    public void A_well_formed_hand_made_file_parses()
    {
        using var file = SafetensorsFile.FromMemory(Build($"{{{Entry("a", "F32", "[2]", 0, 8)},{Entry("b", "BF16", "[1,2]", 8, 12)}}}", 12));
        Assert.Equal(["a", "b"], file.Tensors.Select(t => t.Name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void A_file_shorter_than_the_length_prefix_is_rejected(int length)
    {
        Assert.Contains($"the file is {length} bytes long, shorter than the 8-byte header length", Reject(new byte[length]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_above_100_MB_is_rejected_before_anything_is_read()
    {
        var message = Reject(Build("{}", 0, declaredHeaderLength: 100_000_001));
        Assert.Contains("the header length is 100000001 bytes, above the limit of 100,000,000 bytes", message, StringComparison.Ordinal);
        Assert.Contains("above the limit", Reject(Build("{}", 0, declaredHeaderLength: ulong.MaxValue)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_rejected()
    {
        Assert.Contains("the header length is 50 bytes but only 2 bytes follow the length prefix", Reject(Build("{}", 0, declaredHeaderLength: 50)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the header is empty")]
    [InlineData(" {}", "starts with byte 0x20, not '{'")]
    [InlineData("[1]", "starts with byte 0x5B, not '{'")]
    [InlineData("{\"a\":", "the header is not valid JSON")]
    [InlineData("{}  x", "the header is not valid JSON")]
    [InlineData("{} {}", "the header is not valid JSON")]
    [InlineData("{/* c */}", "the header is not valid JSON")]
    public void The_header_must_be_one_JSON_object(string header, string problem)
    {
        Assert.Contains(problem, Reject(Build(header, 0)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_must_be_UTF8()
    {
        byte[] header = [.. "{\"a"u8, 0xC3, 0x28, .. "\":{}}"u8];
        Assert.Contains("the header is not valid UTF-8", Reject(Build(header, [])), StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_whitespace_padding_is_accepted()
    {
        using var file = SafetensorsFile.FromMemory(Build("{}  \n\t ", 0));
        Assert.Empty(file.Tensors);
    }

    [Theory]
    [InlineData("{\"w\":5}", "tensor 'w': the entry is a JSON number; it must be an object")]
    [InlineData("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w': the entry has no 'dtype'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "tensor 'w': the entry has no 'shape'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 'w': the entry has no 'data_offsets'")]
    [InlineData("{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w': 'dtype' is a JSON number; it must be a string")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w': 'dtype' appears twice in the entry")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":{},\"data_offsets\":[0,4]}}", "tensor 'w': 'shape' is a JSON object; it must be an array of non-negative integers")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", "tensor 'w': 'shape' holds a JSON string")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "tensor 'w': 'data_offsets' has 3 entries; it must be [begin, end]")]
    public void Each_entry_must_be_an_object_with_dtype_shape_and_data_offsets(string header, string problem)
    {
        Assert.Contains(problem, Reject(Build(header, 4)), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_in_an_entry_are_ignored_as_the_reference_reader_ignores_them()
    {
        using var file = SafetensorsFile.FromMemory(Build("{\"w\":{\"dtype\":\"F32\",\"extra\":{\"deep\":[1,{\"x\":null}]},\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        Assert.Equal(1, file.GetInfo("w").ElementCount);
    }

    [Theory]
    [InlineData("F128")]
    [InlineData("f32")]
    [InlineData("float32")]
    public void An_unknown_dtype_is_rejected(string dtype)
    {
        Assert.Contains($"tensor 'w': unknown dtype '{dtype}'", Reject(Build($"{{{Entry("w", dtype, "[1]", 0, 4)}}}", 4)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[-1,2]", "'shape' entry -1 is negative")]
    [InlineData("[1.5]", "'shape' entry 1.5 is not an integer")]
    [InlineData("[1e2]", "'shape' entry 1e2 is not an integer")]
    [InlineData("[18446744073709551616]", "'shape' entry 18446744073709551616 is not an integer")]
    [InlineData("[4294967296,4294967296,4]", "shape [4294967296, 4294967296, 4] has more elements than a 64-bit count can hold")]
    [InlineData("[4611686018427387904]", "shape [4611686018427387904] of F32 has more bits than a 64-bit count can hold")]
    public void Shape_entries_are_non_negative_integers_whose_product_does_not_overflow(string shape, string problem)
    {
        var message = Reject(Build($"{{{Entry("w", "F32", shape, 0, 4)}}}", 4));
        Assert.Contains("tensor 'w': " + problem, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[0,-4]", "'data_offsets' entry -4 is negative")]
    [InlineData("[8,4]", "data_offsets [8, 4] end before they begin")]
    [InlineData("[0,12]", "data_offsets [0, 12] run past the end of the 8-byte data buffer")]
    [InlineData("[0,4]", "data_offsets [0, 4] hold 4 bytes but shape [2] of F32 needs 8")]
    public void Offsets_must_match_the_shape_and_lie_in_the_buffer(string offsets, string problem)
    {
        var header = $"{{\"w\":{{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{offsets}}}}}";
        Assert.Contains("tensor 'w': " + problem, Reject(Build(header, 8)), StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_tensors_are_rejected_naming_both()
    {
        var header = $"{{{Entry("a", "F32", "[2]", 0, 8)},{Entry("b", "F32", "[2]", 4, 12)}}}";
        Assert.Contains("tensor 'b': data_offsets [4, 12] overlap tensor 'a' at [0, 8]", Reject(Build(header, 12)), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_tensors_sharing_bytes_are_rejected()
    {
        var header = $"{{{Entry("a", "F32", "[2]", 0, 8)},{Entry("b", "I32", "[2]", 0, 8)}}}";
        Assert.Contains("overlap tensor 'a'", Reject(Build(header, 8)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hole_between_tensors_or_at_the_start_is_rejected()
    {
        var gap = $"{{{Entry("a", "F32", "[1]", 0, 4)},{Entry("b", "F32", "[1]", 8, 12)}}}";
        Assert.Contains("tensor 'b': data_offsets [8, 12] leave a hole of 4 bytes after tensor 'a' (which ends at 4)", Reject(Build(gap, 12)), StringComparison.Ordinal);

        var start = $"{{{Entry("a", "F32", "[1]", 4, 8)}}}";
        Assert.Contains("tensor 'a': data_offsets [4, 8] leave a hole of 4 bytes after the start of the data buffer", Reject(Build(start, 8)), StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_tensor_are_rejected()
    {
        var header = $"{{{Entry("a", "F32", "[1]", 0, 4)}}}";
        Assert.Contains("3 bytes of trailing data follow the last tensor 'a' (which ends at 4)", Reject(Build(header, 7)), StringComparison.Ordinal);
        Assert.Contains("5 bytes of trailing data follow a header with no tensors", Reject(Build("{}", 5)), StringComparison.Ordinal);
    }

    [Fact]
    public void Tensors_in_any_header_order_are_accepted_when_they_tile_the_buffer()
    {
        var header = $"{{{Entry("late", "F32", "[1]", 4, 8)},{Entry("zero", "F32", "[0]", 4, 4)},{Entry("early", "F32", "[1]", 0, 4)}}}";
        using var file = SafetensorsFile.FromMemory(Build(header, 8));
        Assert.Equal(["early", "zero", "late"], file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Duplicate_names_are_rejected_although_a_JSON_object_model_keeps_the_last_silently()
    {
        var header = $"{{{Entry("w", "F32", "[1]", 0, 4)},{Entry("w", "F32", "[1]", 4, 8)}}}";
        using (var document = JsonDocument.Parse(header))
        {
            Assert.Equal(2, document.RootElement.EnumerateObject().Count());
        }

        Assert.Contains("tensor 'w': the name appears twice in the header", Reject(Build(header, 8)), StringComparison.Ordinal);

        // The same name spelled with a JSON escape is still the same name.
        var escaped = $"{{{Entry("w", "F32", "[1]", 0, 4)},{Entry("\\u0077", "F32", "[1]", 4, 8)}}}";
        Assert.Contains("tensor 'w': the name appears twice", Reject(Build(escaped, 8)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"__metadata__\":{\"format\":\"pt\"},\"__metadata__\":{}}", "'__metadata__' appears twice in the header")]
    [InlineData("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", "'__metadata__' key 'a' appears twice")]
    [InlineData("{\"__metadata__\":{\"epochs\":3}}", "'__metadata__' key 'epochs' holds a JSON number; only string values are allowed")]
    [InlineData("{\"__metadata__\":{\"nested\":{}}}", "'__metadata__' key 'nested' holds a JSON object")]
    [InlineData("{\"__metadata__\":[\"pt\"]}", "'__metadata__' is a JSON array; it must be an object of string values")]
    [InlineData("{\"__metadata__\":null}", "'__metadata__' is a JSON null")]
    public void Metadata_maps_strings_to_strings(string header, string problem)
    {
        Assert.Contains(problem, Reject(Build(header, 0)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sub_byte_tensor_must_fill_whole_bytes()
    {
        var header = $"{{{Entry("q", "F4", "[3]", 0, 1)}}}";
        Assert.Contains("tensor 'q': shape [3] of F4 is 12 bits, not a whole number of bytes", Reject(Build(header, 1)), StringComparison.Ordinal);
        using var file = SafetensorsFile.FromMemory(Build($"{{{Entry("q", "F4", "[4]", 0, 2)}}}", 2));
        Assert.Equal(2, file.GetInfo("q").ByteLength);
        Assert.Throws<NotSupportedException>(() => file.ReadSingles("q"));
    }

    [Fact]
    public void Errors_carry_the_file_path_and_the_tensor_name_in_data()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        File.WriteAllBytes(path, Build($"{{{Entry("layer.0.weight", "F32", "[3]", 0, 8)}}}", 8));

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.StartsWith($"Invalid safetensors data in {path}: tensor 'layer.0.weight': data_offsets [0, 8] hold 8 bytes but shape [3] of F32 needs 12.", error.Message, StringComparison.Ordinal);
        Assert.Equal("layer.0.weight", error.Data[SafetensorsFile.TensorNameKey]);

        File.WriteAllBytes(path, []);
        Assert.Contains("the file is 0 bytes long", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_tensor_name_is_shortened_in_the_message()
    {
        var name = new string('n', 10_000);
        var message = Reject(Build($"{{{Entry(name, "F99", "[1]", 0, 4)}}}", 4));
        Assert.True(message.Length < 400, message);
        Assert.Contains("unknown dtype 'F99'", message, StringComparison.Ordinal);
    }

    private static string Reject(byte[] bytes) => Assert.Throws<InvalidDataException>(() => SafetensorsFile.FromMemory(bytes, "test.safetensors")).Message;
}
