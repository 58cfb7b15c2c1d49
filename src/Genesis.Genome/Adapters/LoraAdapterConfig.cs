using System.Collections.ObjectModel;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Genesis.Tensors;

namespace Genesis.Adapters;

/// <summary>
/// A PEFT <c>adapter_config.json</c> for LoRA. Reading is lenient: keys this type does not model (there are
/// dozens across PEFT versions: <c>init_lora_weights</c>, <c>layers_to_transform</c>, <c>loftq_config</c>,
/// <c>peft_version</c>, ...) are kept verbatim in <see cref="AdditionalProperties"/> and written back, and missing
/// keys take PEFT's defaults (<c>r</c> 8, <c>lora_alpha</c> 8, <c>bias</c> "none", flags false, no patterns).
/// A modelled key with a value of the wrong type is an <see cref="InvalidDataException"/> naming the key.
/// Pattern keys and a string <c>target_modules</c> are Python regular expressions; they run on .NET's engine
/// (linear-time where the pattern allows), which reads the common syntax the same way but not Python-only forms
/// such as <c>(?P&lt;name&gt;...)</c>, which are reported as invalid.
/// </summary>
public sealed record LoraAdapterConfig
{
    private static readonly string[] ModelledKeys =
    [
        "peft_type", "base_model_name_or_path", "revision", "task_type", "inference_mode", "r", "lora_alpha",
        "lora_dropout", "target_modules", "bias", "fan_in_fan_out", "use_rslora", "use_dora", "modules_to_save",
        "rank_pattern", "alpha_pattern",
    ];

    /// <summary><c>peft_type</c>; "LORA" (default). Loading an adapter with any other type fails.</summary>
    public string PeftType { get; init; } = "LORA";

    /// <summary><c>base_model_name_or_path</c>, for example "google/gemma-2-2b-it"; null when absent.</summary>
    public string? BaseModelNameOrPath { get; init; }

    /// <summary><c>revision</c> of the base model; null when absent.</summary>
    public string? Revision { get; init; }

    /// <summary><c>task_type</c>, for example "CAUSAL_LM"; null when absent.</summary>
    public string? TaskType { get; init; }

    /// <summary><c>inference_mode</c>; default false (PEFT's default; PEFT writes true when saving a trained adapter).</summary>
    public bool InferenceMode { get; init; }

    /// <summary><c>r</c>, the default rank; default 8.</summary>
    public int Rank { get; init; } = 8;

    /// <summary><c>lora_alpha</c>, the default alpha; default 8.</summary>
    public double LoraAlpha { get; init; } = 8;

    /// <summary><c>lora_dropout</c>; default 0.</summary>
    public double LoraDropout { get; init; }

    /// <summary><c>target_modules</c>: names or a pattern; null when absent.</summary>
    public LoraTargetModules? TargetModules { get; init; }

    /// <summary><c>bias</c>: "none" (default), "all" or "lora_only".</summary>
    public string Bias { get; init; } = "none";

    /// <summary><c>fan_in_fan_out</c>; default false.</summary>
    public bool FanInFanOut { get; init; }

    /// <summary><c>use_rslora</c>: scale by alpha/√r instead of alpha/r; default false.</summary>
    public bool UseRslora { get; init; }

    /// <summary><c>use_dora</c>; default false. DoRA checkpoints are not supported by <see cref="LoraAdapter"/>.</summary>
    public bool UseDora { get; init; }

    /// <summary><c>modules_to_save</c>; null when absent.</summary>
    public IReadOnlyList<string>? ModulesToSave { get; init; }

    /// <summary><c>rank_pattern</c>: per-module rank overrides, in file order (the first matching key wins, as in PEFT).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> RankPattern { get; init; } = [];

    /// <summary><c>alpha_pattern</c>: per-module alpha overrides, in file order (the first matching key wins).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> AlphaPattern { get; init; } = [];

    /// <summary>Every key this type does not model, with its JSON value, kept so that saving writes it back.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = ReadOnlyDictionary<string, JsonElement>.Empty;

    /// <summary>
    /// A config for a new adapter over the given modules: <c>target_modules</c> is the sorted set of the modules'
    /// last path components (for example <c>[down_proj, gate_proj, k_proj, ...]</c>), <c>task_type</c> "CAUSAL_LM",
    /// <c>inference_mode</c> true.
    /// </summary>
    /// <param name="modulePaths">The module paths the adapter covers.</param>
    /// <param name="rank">r.</param>
    /// <param name="alpha">lora_alpha.</param>
    /// <param name="baseModel">base_model_name_or_path.</param>
    public static LoraAdapterConfig ForModules(IEnumerable<string> modulePaths, int rank, double alpha, string? baseModel = null)
    {
        ArgumentNullException.ThrowIfNull(modulePaths);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        var leaves = modulePaths.Select(p => p[(p.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new LoraAdapterConfig
        {
            Rank = rank,
            LoraAlpha = alpha,
            BaseModelNameOrPath = baseModel,
            TaskType = "CAUSAL_LM",
            InferenceMode = true,
            TargetModules = LoraTargetModules.FromNames(leaves),
        };
    }

    /// <summary>Reads <c>adapter_config.json</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object, or a modelled key has the wrong type; the message names the file and key.</exception>
    public static LoraAdapterConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Parses the JSON text of an <c>adapter_config.json</c>. Duplicate keys keep the last value, as Python's json does.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">A name for error messages.</param>
    /// <exception cref="InvalidDataException">The text is not a JSON object, or a modelled key has the wrong type.</exception>
    public static LoraAdapterConfig Parse(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        source ??= "adapter_config.json";
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: the adapter config must be a JSON object, found {document.RootElement.ValueKind}.");
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!values.ContainsKey(property.Name))
                {
                    order.Add(property.Name);
                }

                values[property.Name] = property.Value.Clone();
            }

            var reader = new Reader(values, source);
            var additional = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var key in order.Where(k => Array.IndexOf(ModelledKeys, k) < 0))
            {
                additional[key] = values[key];
            }

            var config = new LoraAdapterConfig
            {
                PeftType = reader.String("peft_type") ?? "LORA",
                BaseModelNameOrPath = reader.String("base_model_name_or_path"),
                Revision = reader.String("revision"),
                TaskType = reader.String("task_type"),
                InferenceMode = reader.Boolean("inference_mode") ?? false,
                Rank = reader.Integer("r") ?? 8,
                LoraAlpha = reader.Number("lora_alpha") ?? 8,
                LoraDropout = reader.Number("lora_dropout") ?? 0,
                TargetModules = reader.TargetModules("target_modules"),
                Bias = reader.String("bias") ?? "none",
                FanInFanOut = reader.Boolean("fan_in_fan_out") ?? false,
                UseRslora = reader.Boolean("use_rslora") ?? false,
                UseDora = reader.Boolean("use_dora") ?? false,
                ModulesToSave = reader.StringList("modules_to_save"),
                RankPattern = reader.Pattern("rank_pattern", e => reader.AsInteger(e, "rank_pattern")),
                AlphaPattern = reader.Pattern("alpha_pattern", e => reader.AsNumber(e, "alpha_pattern")),
                AdditionalProperties = new ReadOnlyDictionary<string, JsonElement>(additional),
            };
            if (config.Rank < 1)
            {
                throw new InvalidDataException($"{source}: 'r' must be a positive rank, was {config.Rank}.");
            }

            foreach (var (name, keys) in new[] { ("rank_pattern", config.RankPattern.Select(p => p.Key)), ("alpha_pattern", config.AlphaPattern.Select(p => p.Key)) })
            {
                foreach (var key in keys)
                {
                    try
                    {
                        _ = PeftRegex.PatternKey(key);
                    }
                    catch (ArgumentException ex)
                    {
                        throw new InvalidDataException($"{source}: '{name}' key '{key}' is not a valid regular expression ({ex.Message}).", ex);
                    }
                }
            }

            return config;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({ex.Message}).", ex);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }
    }

    /// <summary>The rank of one module: the first <see cref="RankPattern"/> key that matches it, else <see cref="Rank"/>.</summary>
    /// <param name="modulePath">The module path, for example <c>model.layers.3.mlp.up_proj</c>.</param>
    public int RankFor(string modulePath) => Lookup(RankPattern, modulePath, Rank);

    /// <summary>The alpha of one module: the first <see cref="AlphaPattern"/> key that matches it, else <see cref="LoraAlpha"/>.</summary>
    public double AlphaFor(string modulePath) => Lookup(AlphaPattern, modulePath, LoraAlpha);

    /// <summary>
    /// The factor PEFT applies to B·A for one module: alpha / r, or alpha / √r with <see cref="UseRslora"/>, both taken
    /// from the patterns when one matches. A pattern key matches a module when the module path ends with it at a
    /// component boundary, the key read as a regular expression (PEFT's <c>(.*\.)?(key)$</c>).
    /// </summary>
    public double Scaling(string modulePath)
    {
        var rank = RankFor(modulePath);
        var alpha = AlphaFor(modulePath);
        return UseRslora ? alpha / Math.Sqrt(rank) : alpha / rank;
    }

    /// <summary>Checks the values a loader and vLLM rely on: peft_type LORA, a positive rank, positive pattern ranks.</summary>
    /// <exception cref="InvalidOperationException">A value is out of range; the message names the key.</exception>
    public void Validate()
    {
        if (PeftType != "LORA")
        {
            throw new InvalidOperationException($"LoraAdapterConfig: peft_type must be \"LORA\", was \"{PeftType}\".");
        }

        if (Rank < 1)
        {
            throw new InvalidOperationException($"LoraAdapterConfig: r must be at least 1, was {Rank}.");
        }

        foreach (var (key, rank) in RankPattern)
        {
            if (rank < 1)
            {
                throw new InvalidOperationException($"LoraAdapterConfig: rank_pattern '{key}' must be at least 1, was {rank}.");
            }
        }
    }

    /// <summary>
    /// The JSON PEFT writes: every key sorted, two-space indentation, modelled keys always present (null when
    /// unset), unknown keys as read.
    /// </summary>
    public string ToJson()
    {
        var writers = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal);
        foreach (var (key, value) in AdditionalProperties)
        {
            writers[key] = w => value.WriteTo(w);
        }

        writers["peft_type"] = w => w.WriteStringValue(PeftType);
        writers["base_model_name_or_path"] = w => WriteNullable(w, BaseModelNameOrPath);
        writers["revision"] = w => WriteNullable(w, Revision);
        writers["task_type"] = w => WriteNullable(w, TaskType);
        writers["inference_mode"] = w => w.WriteBooleanValue(InferenceMode);
        writers["r"] = w => w.WriteNumberValue(Rank);
        writers["lora_alpha"] = w => w.WriteNumberValue(LoraAlpha);
        writers["lora_dropout"] = w => w.WriteNumberValue(LoraDropout);
        writers["target_modules"] = w =>
        {
            if (TargetModules is null)
            {
                w.WriteNullValue();
            }
            else if (TargetModules.Pattern is not null)
            {
                w.WriteStringValue(TargetModules.Pattern);
            }
            else
            {
                WriteStrings(w, TargetModules.Names);
            }
        };
        writers["bias"] = w => w.WriteStringValue(Bias);
        writers["fan_in_fan_out"] = w => w.WriteBooleanValue(FanInFanOut);
        writers["use_rslora"] = w => w.WriteBooleanValue(UseRslora);
        writers["use_dora"] = w => w.WriteBooleanValue(UseDora);
        writers["modules_to_save"] = w =>
        {
            if (ModulesToSave is null)
            {
                w.WriteNullValue();
            }
            else
            {
                WriteStrings(w, ModulesToSave);
            }
        };
        writers["rank_pattern"] = w =>
        {
            w.WriteStartObject();
            foreach (var (key, value) in RankPattern)
            {
                w.WriteNumber(key, value);
            }

            w.WriteEndObject();
        };
        writers["alpha_pattern"] = w =>
        {
            w.WriteStartObject();
            foreach (var (key, value) in AlphaPattern)
            {
                w.WriteNumber(key, value);
            }

            w.WriteEndObject();
        };

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (key, write) in writers)
            {
                writer.WritePropertyName(key);
                write(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to a file atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Encoding.UTF8.GetBytes(ToJson());
        AtomicFile.Write(path, bytes.Length, s => s.Write(bytes), flushToDisk: false);
    }

    private static T Lookup<T>(IReadOnlyList<KeyValuePair<string, T>> pattern, string modulePath, T fallback)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        foreach (var (key, value) in pattern)
        {
            if (PeftRegex.PatternKey(key).IsMatch(modulePath))
            {
                return value;
            }
        }

        return fallback;
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, IEnumerable<string> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Typed, lenient reads of the modelled keys; null for a missing key or a JSON null.</summary>
    private sealed class Reader(Dictionary<string, JsonElement> values, string source)
    {
        public string? String(string key) => Get(key) is { } e
            ? e.ValueKind == JsonValueKind.String ? e.GetString() : throw Wrong(key, "a string", e)
            : null;

        public bool? Boolean(string key) => Get(key) is { } e
            ? e.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => throw Wrong(key, "true or false", e) }
            : null;

        public int? Integer(string key) => Get(key) is { } e ? AsInteger(e, key) : null;

        public double? Number(string key) => Get(key) is { } e ? AsNumber(e, key) : null;

        public int AsInteger(JsonElement e, string key)
        {
            if (e.ValueKind == JsonValueKind.Number)
            {
                if (e.TryGetInt32(out var i))
                {
                    return i;
                }

                // 8.0 is an integer to Python's json and to PEFT.
                if (e.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
                {
                    return (int)d;
                }
            }

            throw Wrong(key, "an integer", e);
        }

        public double AsNumber(JsonElement e, string key) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Wrong(key, "a number", e);

        public IReadOnlyList<string>? StringList(string key)
        {
            if (Get(key) is not { } e)
            {
                return null;
            }

            if (e.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(key, "a list of strings", e);
            }

            return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Wrong(key, "a list of strings", e)).ToList().AsReadOnly();
        }

        public LoraTargetModules? TargetModules(string key)
        {
            if (Get(key) is not { } e)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.String
                ? LoraTargetModules.FromPattern(e.GetString()!)
                : LoraTargetModules.FromNames(StringList(key)!);
        }

        public IReadOnlyList<KeyValuePair<string, T>> Pattern<T>(string key, Func<JsonElement, T> convert)
        {
            if (Get(key) is not { } e)
            {
                return [];
            }

            if (e.ValueKind != JsonValueKind.Object)
            {
                throw Wrong(key, "an object", e);
            }

            var pattern = new List<KeyValuePair<string, T>>();
            foreach (var property in e.EnumerateObject())
            {
                pattern.RemoveAll(p => p.Key == property.Name);
                pattern.Add(new KeyValuePair<string, T>(property.Name, convert(property.Value)));
            }

            return pattern.AsReadOnly();
        }

        private JsonElement? Get(string key) =>
            values.TryGetValue(key, out var e) && e.ValueKind != JsonValueKind.Null ? e : null;

        private InvalidDataException Wrong(string key, string expected, JsonElement found)
        {
            var text = found.GetRawText();
            return new InvalidDataException($"{source}: '{key}' must be {expected}, found {(text.Length > 60 ? text[..60] + "..." : text)}.");
        }
    }
}
