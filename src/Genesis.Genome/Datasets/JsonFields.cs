using System.Globalization;
using System.Text.Json;

namespace Genesis.Datasets;

/// <summary>Reads fields of a JSON record, with messages that say which field is wrong and how.</summary>
internal static class JsonFields
{
    /// <summary>The first of <paramref name="names"/> present with a non-null value.</summary>
    public static bool TryGet(JsonElement record, out JsonElement value, params string[] names)
    {
        foreach (var name in names)
        {
            if (record.TryGetProperty(name, out value) && value.ValueKind is not JsonValueKind.Null and not JsonValueKind.Undefined)
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The first of <paramref name="names"/> present, or a <see cref="RecordException"/> that lists what the task needs.</summary>
    public static JsonElement Required(JsonElement record, string needs, params string[] names) =>
        TryGet(record, out var value, names)
            ? value
            : throw new RecordException($"missing field {Describe(names)} ({needs})");

    /// <summary>A required string field.</summary>
    public static string RequiredString(JsonElement record, string needs, params string[] names)
    {
        var value = Required(record, needs, names);
        return String(value, FieldName(record, names));
    }

    /// <summary>An optional string field; <see langword="null"/> when absent.</summary>
    public static string? OptionalString(JsonElement record, params string[] names) =>
        TryGet(record, out var value, names) ? String(value, FieldName(record, names)) : null;

    /// <summary>A string; anything else is an error naming <paramref name="field"/>.</summary>
    public static string String(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordException($"field '{field}' must be a string, was {Kind(value)}");

    /// <summary>A string, or a number as its JSON text; anything else is an error naming <paramref name="field"/>.</summary>
    public static string Text(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new RecordException($"field '{field}' must be a string, was {Kind(value)}"),
    };

    /// <summary>An array of strings; anything else is an error naming <paramref name="field"/>.</summary>
    public static List<string> StringArray(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new RecordException($"field '{field}' must be an array of strings, was {Kind(value)}");
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new RecordException($"field '{field}' must be an array of strings, item {index} was {Kind(item)}");
            }

            list.Add(item.GetString()!);
            index++;
        }

        return list;
    }

    /// <summary>The name under which the first of <paramref name="names"/> is present, for messages.</summary>
    public static string FieldName(JsonElement record, string[] names) =>
        names.FirstOrDefault(n => record.TryGetProperty(n, out _)) ?? names[0];

    /// <summary>The record's id field as text, or <see langword="null"/>.</summary>
    public static string? Id(JsonElement record)
    {
        string[] names = ["id", "task_id", "query_id", "question_id"];
        return TryGet(record, out var value, names) ? Text(value, FieldName(record, names)) : null;
    }

    /// <summary>"a string", "an array", ... for messages.</summary>
    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>An integer index, or a <see cref="RecordException"/>.</summary>
    public static int Index(JsonElement value, string field)
    {
        if (value.TryGetInt32(out var index))
        {
            return index;
        }

        throw new RecordException($"field '{field}' must be a whole number, was {value.GetRawText()}");
    }

    /// <summary>Formats an integer for ids and messages.</summary>
    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(string[] names) =>
        names.Length == 1 ? $"'{names[0]}'" : string.Join(" or ", names.Select(n => $"'{n}'"));
}
