using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Genesis.Adapters;
using Genesis.Datasets;
using Genesis.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Genesis.GenomeTests.Serving;

/// <summary>
/// A vLLM-like server on 127.0.0.1 (real HTTP) whose "model" gets better the closer a loaded adapter is to a hidden
/// target adapter. <c>POST /v1/load_lora_adapter</c> reads the adapter from the folder it is given (its
/// <c>adapter_model.safetensors</c>, through <see cref="LoraAdapter.Load"/>) and fixes its quality q = max(0, cos(adapter,
/// target)) over the flat A/B weights; a chat completion for that adapter answers a known GSM8K-shaped question
/// correctly iff the question's hash in [0, 1) is below q (so the answers are deterministic), in GSM8K's
/// worked-solution format ending in <c>#### N</c>, and otherwise with a plausible wrong number.
/// <c>/v1/unload_lora_adapter</c> frees the adapter; the server records every request and the most adapters it held at once.
/// </summary>
internal sealed class GradingVllmServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _loaded = new(StringComparer.Ordinal);
    private readonly List<(string Kind, string Name)> _log = [];
    private readonly float[] _target;
    private readonly Dictionary<string, (string Rationale, string Answer)> _questions;

    private GradingVllmServer(LoraAdapter target, IEnumerable<TaskSample> samples)
    {
        _target = target.Values.ToArray();
        _questions = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            _questions[sample.Prompt] = (sample.Metadata.TryGetValue("rationale", out var rationale) ? rationale : string.Empty, sample.References[0].Text);
        }
    }

    /// <summary>The underlying HTTP server (its request record and base address).</summary>
    public ScriptedOpenAiServer Server { get; private set; } = null!;

    /// <summary>The base address, <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri BaseUri => Server.BaseUri;

    /// <summary>Called with the adapter name after each successful load (for example to cancel a run part-way).</summary>
    public Action<string>? OnLoaded { get; set; }

    /// <summary>The most adapters loaded at the same time.</summary>
    public int MaxLoadedAtOnce
    {
        get
        {
            lock (_gate)
            {
                return field;
            }
        }

        private set => field = value;
    }

    /// <summary>The requests in arrival order: ("load" | "unload" | "chat", adapter name).</summary>
    public IReadOnlyList<(string Kind, string Name)> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The adapters loaded now.</summary>
    public IReadOnlyCollection<string> Loaded
    {
        get
        {
            lock (_gate)
            {
                return [.. _loaded.Keys];
            }
        }
    }

    /// <summary>Starts a server grading against <paramref name="target"/> on the questions of <paramref name="samples"/>.</summary>
    /// <param name="target">The hidden adapter; closeness to it is quality.</param>
    /// <param name="samples">The questions it knows (their prompts, rationales and references).</param>
    /// <param name="baseModel">The model <c>GET /v1/models</c> lists.</param>
    public static async Task<GradingVllmServer> StartAsync(LoraAdapter target, IEnumerable<TaskSample> samples, string baseModel)
    {
        var grading = new GradingVllmServer(target, samples);
        grading.Server = await ScriptedOpenAiServer.StartAsync(new ScriptedOpenAiServerOptions
        {
            Models = [baseModel],
            MapEndpoints = (endpoints, server) =>
            {
                endpoints.MapPost("/v1/load_lora_adapter", (RequestDelegate)(ctx => grading.LoadAsync(ctx, server)));
                endpoints.MapPost("/v1/unload_lora_adapter", (RequestDelegate)(ctx => grading.UnloadAsync(ctx, server)));
            },
        });
        grading.Server.Responder = grading.Chat;
        return grading;
    }

    /// <summary>The quality the server gives <paramref name="values"/>: max(0, cosine similarity to the target).</summary>
    /// <param name="values">An adapter's flat weights.</param>
    public double Quality(ReadOnlySpan<float> values) => Quality(values, _target);

    /// <summary>max(0, cos(a, b)), in double precision.</summary>
    public static double Quality(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return aa == 0 || bb == 0 ? 0 : Math.Max(0, dot / Math.Sqrt(aa * bb));
    }

    /// <summary>The question's position in [0, 1): FNV-1a 64 of its UTF-8 bytes, scaled.</summary>
    public static double Hash(string text, ulong salt = 0)
    {
        var hash = 14695981039346656037UL ^ salt;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static string Error(string message, int code) =>
        new JsonObject { ["object"] = "error", ["message"] = message, ["type"] = code == 404 ? "NotFoundError" : "BadRequestError", ["param"] = null, ["code"] = code }.ToJsonString();

    private static async Task WriteAsync(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = status == 200 ? "text/plain" : "application/json";
        await ctx.Response.WriteAsync(body);
    }

    private ScriptedReply Chat(RecordedRequest request)
    {
        var model = request.Model ?? string.Empty;
        double quality;
        lock (_gate)
        {
            _log.Add(("chat", model));
            if (!_loaded.TryGetValue(model, out quality))
            {
                return ScriptedReply.Status(404, Error($"The model `{model}` does not exist.", 404));
            }
        }

        var prompt = request.LastUserMessage;
        if (!_questions.TryGetValue(prompt, out var known))
        {
            return ScriptedReply.Completion("I am not sure what is being asked.");
        }

        if (Hash(prompt) < quality)
        {
            return ScriptedReply.Completion($"Let's work through it step by step.\n{known.Rationale}\n#### {known.Answer}");
        }

        var right = long.Parse(known.Answer, CultureInfo.InvariantCulture);
        var wrong = right + 1 + (long)(Hash(prompt, salt: 7) * 9);
        return ScriptedReply.Completion(string.Create(CultureInfo.InvariantCulture, $"Let's work through it step by step.\nAdding everything up gives {wrong}.\n#### {wrong}"));
    }

    private async Task LoadAsync(HttpContext ctx, ScriptedOpenAiServer server)
    {
        var recorded = await server.RecordAsync(ctx.Request);
        var body = recorded is null ? null : JsonNode.Parse(recorded.RawJson);
        var name = body?["lora_name"]?.GetValue<string>();
        var path = body?["lora_path"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(path))
        {
            await WriteAsync(ctx, 400, Error("Both 'lora_name' and 'lora_path' must be provided.", 400));
            return;
        }

        double quality;
        try
        {
            var adapter = LoraAdapter.Load(path, name);
            if (adapter.ParameterCount != _target.Length)
            {
                throw new InvalidDataException($"the adapter has {adapter.ParameterCount} parameters; the base model's LoRA layout has {_target.Length}");
            }

            quality = Quality(adapter.Values);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            lock (_gate)
            {
                _log.Add(("load-failed", name));
            }

            await WriteAsync(ctx, 400, Error($"Loading lora {name} failed: {ex.Message}", 400));
            return;
        }

        string? problem = null;
        lock (_gate)
        {
            _log.Add(("load", name));
            if (!_loaded.TryAdd(name, quality))
            {
                problem = $"The lora adapter '{name}' has already been loaded.";
            }

            MaxLoadedAtOnce = Math.Max(MaxLoadedAtOnce, _loaded.Count);
        }

        if (problem is null)
        {
            OnLoaded?.Invoke(name);
        }

        await WriteAsync(ctx, problem is null ? 200 : 400, problem is null ? $"Success: LoRA adapter '{name}' added successfully." : Error(problem, 400));
    }

    private async Task UnloadAsync(HttpContext ctx, ScriptedOpenAiServer server)
    {
        var recorded = await server.RecordAsync(ctx.Request);
        var name = recorded is null ? null : JsonNode.Parse(recorded.RawJson)?["lora_name"]?.GetValue<string>();
        bool removed;
        lock (_gate)
        {
            _log.Add(("unload", name ?? string.Empty));
            removed = name is not null && _loaded.Remove(name);
        }

        await WriteAsync(ctx, removed ? 200 : 404, removed ? $"Success: LoRA adapter '{name}' removed successfully." : Error($"The lora adapter '{name}' cannot be found.", 404));
    }
}
