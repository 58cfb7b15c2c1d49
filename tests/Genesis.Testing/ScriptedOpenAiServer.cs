using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Genesis.Testing;

/// <summary>
/// An OpenAI-compatible HTTP server on <c>127.0.0.1</c> (a free port) whose answers a test scripts: a FIFO queue of
/// <see cref="ScriptedReply"/> items (<see cref="Enqueue"/>), then the <see cref="Responder"/>, then HTTP 500
/// "script exhausted". Every request is recorded in <see cref="Requests"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Endpoints: <c>POST /v1/chat/completions</c> (JSON, or server-sent events with <c>stream: true</c>, with a final usage
/// chunk when <c>stream_options.include_usage</c> is set) and <c>GET /v1/models</c>. Point a client at
/// <see cref="BaseUri"/>, which ends in <c>/v1</c> exactly as an OpenAI base URL does.
/// </remarks>
public sealed partial class ScriptedOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<string> _models;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Queue<ScriptedReply> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private int _completionCount;
    private Uri? _baseUri;

    private ScriptedOpenAiServer(ScriptedOpenAiServerOptions options)
    {
        _models = options.Models;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", HandleChatCompletionsAsync);
        _app.MapGet("/v1/models", HandleModelsAsync);
        options.MapEndpoints?.Invoke(_app, this);
    }

    /// <summary>The base URL to give an OpenAI client: <c>http://127.0.0.1:PORT/v1</c> (no trailing slash).</summary>
    public Uri BaseUri => _baseUri ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Answers requests once the script queue is empty; <see langword="null"/> (the default) answers HTTP 500 "script exhausted".</summary>
    public Func<RecordedRequest, ScriptedReply>? Responder
    {
        get { lock (_gate) { return field; } }
        set { lock (_gate) { field = value; } }
    }

    /// <summary>A snapshot of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>How many scripted replies are still queued.</summary>
    public int PendingReplies
    {
        get { lock (_gate) { return _script.Count; } }
    }

    /// <summary>Starts a server with the default <see cref="ScriptedOpenAiServerOptions"/>.</summary>
    /// <param name="cancellationToken">Stops the start-up.</param>
    public static Task<ScriptedOpenAiServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new ScriptedOpenAiServerOptions(), cancellationToken);

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    /// <param name="options">The listed models and any extra endpoints.</param>
    /// <param name="cancellationToken">Stops the start-up.</param>
    public static async Task<ScriptedOpenAiServer> StartAsync(ScriptedOpenAiServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = new ScriptedOpenAiServer(options);
        try
        {
            await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
            var listening = new Uri(server._app.Urls.Single(), UriKind.Absolute);
            server._baseUri = new Uri($"http://127.0.0.1:{listening.Port.ToString(CultureInfo.InvariantCulture)}/v1", UriKind.Absolute);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends replies to the script; requests consume them first in, first out.</summary>
    /// <param name="replies">The replies.</param>
    public void Enqueue(params ScriptedReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        lock (_gate)
        {
            foreach (ScriptedReply reply in replies)
            {
                ArgumentNullException.ThrowIfNull(reply, nameof(replies));
                _script.Enqueue(reply);
            }
        }
    }

    /// <summary>Reads the request's body, parses the OpenAI fields it knows and records the request.</summary>
    /// <param name="request">The incoming request.</param>
    /// <returns>The recorded request, or <see langword="null"/> when the body is not a JSON object (nothing is recorded then).</returns>
    public async Task<RecordedRequest?> RecordAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string raw = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        JsonObject? body;
        try
        {
            body = raw.Length == 0 ? [] : JsonNode.Parse(raw) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return null;
        }

        var recorded = new RecordedRequest
        {
            Method = request.Method,
            Path = request.Path.Value ?? string.Empty,
            Model = StringOf(body["model"]),
            Messages = MessagesOf(body["messages"]),
            Temperature = NumberOf<double>(body["temperature"]),
            TopP = NumberOf<double>(body["top_p"]),
            MaxTokens = NumberOf<int>(body["max_completion_tokens"]) ?? NumberOf<int>(body["max_tokens"]),
            Seed = NumberOf<long>(body["seed"]),
            StopSequences = StopsOf(body["stop"]),
            Stream = BoolOf(body["stream"]),
            IncludeUsage = BoolOf(body["stream_options"]?["include_usage"]),
            Authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
            RawJson = raw,
        };
        lock (_gate)
        {
            _requests.Add(recorded);
        }

        return recorded;
    }

    /// <summary>The next reply for <paramref name="request"/>: the head of the script, else the <see cref="Responder"/>'s, else HTTP 500 "script exhausted".</summary>
    /// <param name="request">The recorded request, passed to the <see cref="Responder"/>.</param>
    public ScriptedReply TakeReply(RecordedRequest request)
    {
        Func<RecordedRequest, ScriptedReply>? responder;
        lock (_gate)
        {
            if (_script.TryDequeue(out ScriptedReply? scripted))
            {
                return scripted;
            }

            responder = Responder;
        }

        return responder is null ? ScriptedReply.Status(500, ErrorBody("script exhausted", 500)) : responder(request);
    }

    /// <summary>Stops the server; pending delayed replies end at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    /// <summary>An OpenAI-style error body: <c>{"error": {"message": …, "type": …, "code": …}}</c>.</summary>
    internal static string ErrorBody(string message, int statusCode) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = statusCode >= 500 ? "server_error" : "invalid_request_error",
                ["code"] = statusCode,
            },
        }.ToJsonString();

    private async Task HandleChatCompletionsAsync(HttpContext context)
    {
        RecordedRequest? request = await RecordAsync(context.Request).ConfigureAwait(false);
        if (request is null)
        {
            await WriteStatusAsync(context, new ScriptedReply.StatusReply(400, ErrorBody("the body is not a JSON object", 400), null)).ConfigureAwait(false);
            return;
        }

        ScriptedReply reply;
        try
        {
            reply = TakeReply(request);
        }
        catch (Exception exception)
        {
            reply = ScriptedReply.Status(500, ErrorBody($"the responder threw {exception.GetType().Name}: {exception.Message}", 500));
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await WriteChatReplyAsync(context, request, reply, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client hung up (it timed out or was cancelled) or the server is stopping: nobody is listening.
        }
    }

    private async Task HandleModelsAsync(HttpContext context)
    {
        await RecordAsync(context.Request).ConfigureAwait(false);
        var data = new JsonArray();
        foreach (string model in _models)
        {
            data.Add(new JsonObject { ["id"] = model, ["object"] = "model", ["created"] = 0, ["owned_by"] = "genesis-testing" });
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteChatReplyAsync(HttpContext context, RecordedRequest request, ScriptedReply reply, CancellationToken cancellationToken)
    {
        switch (reply)
        {
            case ScriptedReply.DelayedReply delayed:
                await Task.Delay(delayed.Wait, cancellationToken).ConfigureAwait(false);
                await WriteChatReplyAsync(context, request, delayed.Then, cancellationToken).ConfigureAwait(false);
                break;
            case ScriptedReply.StatusReply status:
                await WriteStatusAsync(context, status).ConfigureAwait(false);
                break;
            case ScriptedReply.MalformedReply malformed:
                await WriteJsonAsync(context, 200, malformed.Body, cancellationToken).ConfigureAwait(false);
                break;
            case ScriptedReply.CompletionReply completion when request.Stream:
                await WriteStreamAsync(context, request, completion, cancellationToken).ConfigureAwait(false);
                break;
            case ScriptedReply.CompletionReply completion:
                await WriteCompletionAsync(context, request, completion, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Unknown scripted reply {reply.GetType().Name}.");
        }
    }

    private static Task WriteStatusAsync(HttpContext context, ScriptedReply.StatusReply status)
    {
        if (status.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, status.StatusCode, status.Body, context.RequestAborted);
    }

    private async Task WriteCompletionAsync(HttpContext context, RecordedRequest request, ScriptedReply.CompletionReply completion, CancellationToken cancellationToken)
    {
        var body = Envelope(request, NextCompletionId(), "chat.completion");
        body["choices"] = new JsonArray
        {
            new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = completion.Text },
                ["logprobs"] = null,
                ["finish_reason"] = completion.FinishReason,
            },
        };
        body["usage"] = Usage(request, completion);
        await WriteJsonAsync(context, 200, body.ToJsonString(), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStreamAsync(HttpContext context, RecordedRequest request, ScriptedReply.CompletionReply completion, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        string id = NextCompletionId();

        await WriteEventAsync(context, Chunk(request, id, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null), cancellationToken).ConfigureAwait(false);
        foreach (Match piece in StreamPieces().Matches(completion.Text))
        {
            await WriteEventAsync(context, Chunk(request, id, new JsonObject { ["content"] = piece.Value }, null), cancellationToken).ConfigureAwait(false);
        }

        await WriteEventAsync(context, Chunk(request, id, [], completion.FinishReason), cancellationToken).ConfigureAwait(false);
        if (request.IncludeUsage)
        {
            JsonObject usage = Envelope(request, id, "chat.completion.chunk");
            usage["choices"] = new JsonArray();
            usage["usage"] = Usage(request, completion);
            await WriteEventAsync(context, usage.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }

        await WriteEventAsync(context, "[DONE]", cancellationToken).ConfigureAwait(false);
    }

    private static string Chunk(RecordedRequest request, string id, JsonObject delta, string? finishReason)
    {
        JsonObject chunk = Envelope(request, id, "chat.completion.chunk");
        chunk["choices"] = new JsonArray
        {
            new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason },
        };
        return chunk.ToJsonString();
    }

    private static async Task WriteEventAsync(HttpContext context, string data, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync($"data: {data}\n\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteJsonAsync(HttpContext context, int statusCode, string body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, cancellationToken);
    }

    private static JsonObject Envelope(RecordedRequest request, string id, string kind) =>
        new()
        {
            ["id"] = id,
            ["object"] = kind,
            ["created"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
            ["model"] = request.Model ?? "genesis-test-model",
            ["system_fingerprint"] = "genesis-scripted",
        };

    private static JsonObject Usage(RecordedRequest request, ScriptedReply.CompletionReply completion)
    {
        int prompt = completion.PromptTokens ?? EstimateTokens(request.Messages.Sum(m => m.Content.Length));
        int generated = completion.CompletionTokens ?? EstimateTokens(completion.Text.Length);
        return new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = generated, ["total_tokens"] = prompt + generated };
    }

    private static int EstimateTokens(int characters) => (characters + 3) / 4;

    private string NextCompletionId() =>
        "chatcmpl-scripted-" + Interlocked.Increment(ref _completionCount).ToString(CultureInfo.InvariantCulture);

    private static List<RecordedMessage> MessagesOf(JsonNode? messages)
    {
        var result = new List<RecordedMessage>();
        if (messages is not JsonArray array)
        {
            return result;
        }

        foreach (JsonNode? message in array)
        {
            string role = StringOf(message?["role"]) ?? string.Empty;
            string content = message?["content"] switch
            {
                JsonValue value when value.TryGetValue(out string? text) => text,
                JsonArray parts => string.Concat(parts.Select(part => StringOf(part?["text"]) ?? string.Empty)),
                _ => string.Empty,
            };
            result.Add(new RecordedMessage(role, content));
        }

        return result;
    }

    private static List<string> StopsOf(JsonNode? stop) =>
        stop switch
        {
            JsonValue value when value.TryGetValue(out string? single) => [single],
            JsonArray many => [.. many.Select(item => StringOf(item) ?? string.Empty)],
            _ => [],
        };

    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static T? NumberOf<T>(JsonNode? node)
        where T : struct =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<T>() : null;

    private static bool BoolOf(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool flag) && flag;

    /// <summary>A word with its trailing whitespace, or leading whitespace alone: the pieces concatenate to the text.</summary>
    [GeneratedRegex(@"\S+\s*|\s+")]
    private static partial Regex StreamPieces();
}
