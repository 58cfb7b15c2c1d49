using System.Text.Json.Serialization;

namespace Genesis.Persistence;

/// <summary>Source-generated JSON for what the run folder stores (fast, trimming-safe).</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(IReadOnlyList<long>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
internal sealed partial class PersistenceJson : JsonSerializerContext;
