using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Genesis.Serving;

/// <summary>
/// A small client of vLLM's OpenAI-compatible server: dynamic LoRA loading (<c>/v1/load_lora_adapter</c>,
/// <c>/v1/unload_lora_adapter</c>) and chat completions. Each attempt has a timeout; 408, 429, 5xx, network errors and
/// timeouts are retried with exponential backoff on the options' <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
public sealed class VllmClient
{
    private readonly HttpClient _http;
    private readonly VllmOptions _options;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client; its own timeout should be infinite or longer than <see cref="VllmOptions.RequestTimeout"/>.</param>
    /// <param name="options">The options; they are validated.</param>
    public VllmClient(HttpClient http, VllmOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
    }

    /// <summary>Loads the PEFT adapter in <paramref name="serverPath"/> under <paramref name="adapterName"/>.</summary>
    /// <param name="adapterName">The name chat requests will use as <c>model</c>.</param>
    /// <param name="serverPath">The adapter folder as the server sees it.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="VllmRequestException">The server rejected the adapter (the message carries its reason) or kept failing.</exception>
    public async Task LoadAdapterAsync(string adapterName, string serverPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adapterName);
        ArgumentException.ThrowIfNullOrWhiteSpace(serverPath);
        var body = new JsonObject { ["lora_name"] = adapterName, ["lora_path"] = serverPath };
        if (_options.LoadInplace)
        {
            body["load_inplace"] = true;
        }

        await SendAsync("load_lora_adapter", body, adapterName, "load", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unloads the adapter <paramref name="adapterName"/>.</summary>
    /// <param name="adapterName">The adapter's name.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="VllmRequestException">The server refused or kept failing.</exception>
    public async Task UnloadAdapterAsync(string adapterName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adapterName);
        var body = new JsonObject { ["lora_name"] = adapterName };
        await SendAsync("unload_lora_adapter", body, adapterName, "unload", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One chat completion of <paramref name="prompt"/> (a single user message) from <paramref name="model"/>.</summary>
    /// <param name="model">The model or adapter name.</param>
    /// <param name="prompt">The user message.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The first choice's content (empty when the server sent none).</returns>
    /// <exception cref="VllmRequestException">The server refused, kept failing or answered with malformed JSON.</exception>
    public async Task<string> CompleteAsync(string model, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(prompt);
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["temperature"] = _options.Temperature,
            ["top_p"] = _options.TopP,
            ["max_tokens"] = _options.MaxTokens,
        };
        if (_options.Seed is long seed)
        {
            body["seed"] = seed;
        }

        string text = await SendAsync("chat/completions", body, model, "chat completion", cancellationToken).ConfigureAwait(false);
        try
        {
            var reply = JsonNode.Parse(text);
            return reply?["choices"]?[0]?["message"]?["content"]?.GetValue<string>() ?? string.Empty;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new VllmRequestException($"vLLM chat completion for adapter '{model}': malformed reply: {ex.Message}", model, HttpStatusCode.OK, null, ex);
        }
    }

    private async Task<string> SendAsync(string path, JsonObject body, string adapterName, string what, CancellationToken cancellationToken)
    {
        var uri = new Uri(V1Root(_options.BaseUrl), path);
        var backoff = _options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? retryAfter = null;
            VllmRequestException failure;
            using (var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
                    if (_options.ApiKey is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                    }

                    using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
                    string text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return text;
                    }

                    string reason = ErrorMessage(text);
                    failure = new VllmRequestException(
                        $"vLLM {what} for adapter '{adapterName}' failed with HTTP {(int)response.StatusCode}: {reason}", adapterName, response.StatusCode, reason);
                    if (!IsTransient(response.StatusCode))
                    {
                        throw failure;
                    }

                    retryAfter = response.Headers.RetryAfter?.Delta;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
                {
                    failure = new VllmRequestException(
                        $"vLLM {what} for adapter '{adapterName}' timed out after {_options.RequestTimeout}.", adapterName, null, null, ex);
                }
                catch (HttpRequestException ex)
                {
                    failure = new VllmRequestException(
                        $"vLLM {what} for adapter '{adapterName}' failed: {ex.Message}", adapterName, ex.StatusCode, null, ex);
                }
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new VllmRequestException(
                    $"{failure.Message} (gave up after {attempt + 1} attempts)", adapterName, failure.StatusCode, failure.ServerMessage, failure.InnerException);
            }

            var wait = retryAfter is TimeSpan ra && ra > backoff ? ra : backoff;
            wait = wait > _options.MaxBackoff ? _options.MaxBackoff : wait;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            backoff = backoff * 2 > _options.MaxBackoff ? _options.MaxBackoff : backoff * 2;
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The <c>/v1/</c> folder of the server, whether or not <paramref name="baseUrl"/> already ends with <c>/v1</c>.</summary>
    private static Uri V1Root(Uri baseUrl)
    {
        string root = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? root + "/" : root + "/v1/");
    }

    /// <summary>The error message of an OpenAI-style (<c>{"error": {"message": …}}</c>) or vLLM-style (<c>{"message": …}</c>, <c>{"detail": …}</c>) body.</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                var node = json["error"] is JsonObject error ? error["message"] : json["error"] ?? json["message"] ?? json["detail"];
                if (node is JsonValue value && value.TryGetValue(out string? message) && !string.IsNullOrEmpty(message))
                {
                    return message;
                }
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 500 ? body[..500] : body;
    }
}
