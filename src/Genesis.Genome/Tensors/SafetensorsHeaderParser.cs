using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Genesis.Tensors;

/// <summary>
/// Parses and validates a safetensors header without trusting any number in it: every length is checked against
/// the bytes actually present before it is used, every product is checked for overflow, and the only allocations
/// are proportional to the header, which is itself bounded by <see cref="SafetensorsFile.MaxHeaderLength"/> and by
/// the file's real length.
/// </summary>
internal static class SafetensorsHeaderParser
{
    private const int MaxNameInMessage = 120;

    /// <summary>Reads the little-endian header length from the first 8 bytes and checks it against the limit and the file.</summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> file, long fileLength, string source)
    {
        if (fileLength < 8)
        {
            throw Fail(source, null, $"the file is {fileLength} bytes long, shorter than the 8-byte header length that starts every safetensors file");
        }

        var n = BinaryPrimitives.ReadUInt64LittleEndian(file[..8]);
        if (n > SafetensorsFile.MaxHeaderLength)
        {
            throw Fail(source, null, $"the header length is {n} bytes, above the limit of 100,000,000 bytes");
        }

        if ((long)n > fileLength - 8)
        {
            throw Fail(source, null, $"the header length is {n} bytes but only {fileLength - 8} bytes follow the length prefix");
        }

        return (long)n;
    }

    /// <summary>Parses the JSON header and validates every tensor against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        if (json.IsEmpty)
        {
            throw Fail(source, null, "the header is empty; it must be a JSON object");
        }

        if (json[0] != (byte)'{')
        {
            throw Fail(source, null, $"the header starts with byte 0x{json[0]:X2}, not '{{'; it must be a JSON object");
        }

        if (!Utf8.IsValid(json))
        {
            throw Fail(source, null, "the header is not valid UTF-8");
        }

        var tensors = new List<SafetensorsTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sawMetadata = false;
        string? current = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            reader.Read();
            while (true)
            {
                Next(ref reader, source, current);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                current = reader.GetString()!;
                if (current == "__metadata__")
                {
                    if (sawMetadata)
                    {
                        throw Fail(source, null, "'__metadata__' appears twice in the header");
                    }

                    sawMetadata = true;
                    ParseMetadata(ref reader, metadata, source);
                }
                else
                {
                    if (!seen.Add(current))
                    {
                        throw Fail(source, current, "the name appears twice in the header");
                    }

                    tensors.Add(ParseTensor(ref reader, current, dataLength, source));
                }

                current = null;
            }

            // Only whitespace may follow the object (the writer pads with spaces); anything else makes Read throw.
            if (reader.Read())
            {
                throw Fail(source, null, "unexpected content after the header's JSON object");
            }
        }
        catch (JsonException ex)
        {
            throw Fail(source, current, $"the header is not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Fail(source, current, $"the header holds a value that cannot be read ({ex.Message})", ex);
        }

        CheckLayout(tensors, dataLength, source);
        return new SafetensorsHeader(tensors, metadata, json.Length, dataLength);
    }

    /// <summary>
    /// Builds the exception, with the tensor's name (shortened if huge) in front of the problem; the full name is
    /// also in <see cref="Exception.Data"/> under <see cref="SafetensorsFile.TensorNameKey"/>.
    /// </summary>
    public static InvalidDataException Fail(string source, string? tensor, string problem, Exception? inner = null)
    {
        var message = tensor is null
            ? $"Invalid safetensors data in {source}: {problem}."
            : $"Invalid safetensors data in {source}: tensor '{Shorten(tensor)}': {problem}.";
        var exception = new InvalidDataException(message, inner);
        if (tensor is not null)
        {
            exception.Data[SafetensorsFile.TensorNameKey] = tensor;
        }

        return exception;
    }

    private static string Shorten(string name) =>
        name.Length <= MaxNameInMessage ? name : string.Concat(name.AsSpan(0, MaxNameInMessage), "...");

    private static void Next(ref Utf8JsonReader reader, string source, string? tensor)
    {
        if (!reader.Read())
        {
            throw Fail(source, tensor, "the header ends in the middle of a JSON value");
        }
    }

    private static void ParseMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        Next(ref reader, source, null);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(source, null, $"'__metadata__' is a JSON {Describe(reader.TokenType)}; it must be an object of string values");
        }

        while (true)
        {
            Next(ref reader, source, null);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var key = reader.GetString()!;
            Next(ref reader, source, null);
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Fail(source, null, $"'__metadata__' key '{Shorten(key)}' holds a JSON {Describe(reader.TokenType)}; only string values are allowed");
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw Fail(source, null, $"'__metadata__' key '{Shorten(key)}' appears twice");
            }
        }
    }

    private static SafetensorsTensorInfo ParseTensor(ref Utf8JsonReader reader, string name, long dataLength, string source)
    {
        Next(ref reader, source, name);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(source, name, $"the entry is a JSON {Describe(reader.TokenType)}; it must be an object with dtype, shape and data_offsets");
        }

        SafetensorsDType? dtype = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        while (true)
        {
            Next(ref reader, source, name);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("dtype"u8))
            {
                if (dtype is not null)
                {
                    throw Fail(source, name, "'dtype' appears twice in the entry");
                }

                Next(ref reader, source, name);
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw Fail(source, name, $"'dtype' is a JSON {Describe(reader.TokenType)}; it must be a string such as \"F32\"");
                }

                var text = reader.GetString()!;
                if (!SafetensorsDTypes.TryParse(text, out var parsed))
                {
                    throw Fail(source, name, $"unknown dtype '{Shorten(text)}'");
                }

                dtype = parsed;
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                if (shape is not null)
                {
                    throw Fail(source, name, "'shape' appears twice in the entry");
                }

                shape = ReadIntegers(ref reader, name, "shape", source);
            }
            else if (reader.ValueTextEquals("data_offsets"u8))
            {
                if (offsets is not null)
                {
                    throw Fail(source, name, "'data_offsets' appears twice in the entry");
                }

                offsets = ReadIntegers(ref reader, name, "data_offsets", source);
                if (offsets.Count != 2)
                {
                    throw Fail(source, name, $"'data_offsets' has {offsets.Count} entries; it must be [begin, end]");
                }
            }
            else
            {
                // Unknown keys are ignored, as the reference reader does; their values are skipped whole.
                reader.Skip();
            }
        }

        if (dtype is null)
        {
            throw Fail(source, name, "the entry has no 'dtype'");
        }

        if (shape is null)
        {
            throw Fail(source, name, "the entry has no 'shape'");
        }

        if (offsets is null)
        {
            throw Fail(source, name, "the entry has no 'data_offsets'");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        var shapeText = SafetensorsTensorInfo.FormatShape(shape);
        var dtypeName = SafetensorsDTypes.GetName(dtype.Value);
        if (end < begin)
        {
            throw Fail(source, name, $"data_offsets [{begin}, {end}] end before they begin");
        }

        if (end > dataLength)
        {
            throw Fail(source, name, $"data_offsets [{begin}, {end}] run past the end of the {dataLength}-byte data buffer");
        }

        long elements = 1;
        foreach (var dimension in shape)
        {
            if (dimension != 0 && elements > long.MaxValue / dimension)
            {
                throw Fail(source, name, $"shape {shapeText} has more elements than a 64-bit count can hold");
            }

            elements *= dimension;
        }

        var bits = SafetensorsDTypes.GetBitSize(dtype.Value);
        if (elements > long.MaxValue / bits)
        {
            throw Fail(source, name, $"shape {shapeText} of {dtypeName} has more bits than a 64-bit count can hold");
        }

        var totalBits = elements * bits;
        if (totalBits % 8 != 0)
        {
            throw Fail(source, name, $"shape {shapeText} of {dtypeName} is {totalBits} bits, not a whole number of bytes");
        }

        if (end - begin != totalBits / 8)
        {
            throw Fail(source, name, $"data_offsets [{begin}, {end}] hold {end - begin} bytes but shape {shapeText} of {dtypeName} needs {totalBits / 8}");
        }

        return new SafetensorsTensorInfo(name, dtype.Value, [.. shape], elements, begin, end);
    }

    private static List<long> ReadIntegers(ref Utf8JsonReader reader, string name, string key, string source)
    {
        Next(ref reader, source, name);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(source, name, $"'{key}' is a JSON {Describe(reader.TokenType)}; it must be an array of non-negative integers");
        }

        var values = new List<long>();
        while (true)
        {
            Next(ref reader, source, name);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values;
            }

            if (reader.TokenType != JsonTokenType.Number)
            {
                throw Fail(source, name, $"'{key}' holds a JSON {Describe(reader.TokenType)}; it must hold non-negative integers only");
            }

            var raw = reader.ValueSpan;
            if (!reader.TryGetInt64(out var value) || value < 0)
            {
                var text = Encoding.UTF8.GetString(raw.Length > 40 ? raw[..40] : raw);
                var problem = raw.Length > 0 && raw[0] == (byte)'-' ? "is negative" : "is not an integer between 0 and 2^63-1";
                throw Fail(source, name, $"'{key}' entry {text} {problem}");
            }

            values.Add(value);
        }
    }

    private static void CheckLayout(List<SafetensorsTensorInfo> tensors, long dataLength, string source)
    {
        tensors.Sort(static (x, y) =>
        {
            var c = x.DataBegin.CompareTo(y.DataBegin);
            if (c == 0)
            {
                c = x.DataEnd.CompareTo(y.DataEnd);
            }

            return c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
        });

        long expected = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in tensors)
        {
            if (tensor.DataBegin < expected)
            {
                throw Fail(source, tensor.Name, $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] overlap tensor '{Shorten(previous!.Name)}' at [{previous.DataBegin}, {previous.DataEnd}]");
            }

            if (tensor.DataBegin > expected)
            {
                var where = previous is null ? "the start of the data buffer" : $"tensor '{Shorten(previous.Name)}' (which ends at {expected})";
                throw Fail(source, tensor.Name, $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] leave a hole of {tensor.DataBegin - expected} bytes after {where}");
            }

            expected = tensor.DataEnd;
            previous = tensor;
        }

        if (expected != dataLength)
        {
            var after = previous is null ? "a header with no tensors" : $"the last tensor '{Shorten(previous.Name)}' (which ends at {expected})";
            throw Fail(source, null, string.Create(CultureInfo.InvariantCulture, $"{dataLength - expected} bytes of trailing data follow {after}; the tensors must cover the {dataLength}-byte data buffer exactly"));
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
