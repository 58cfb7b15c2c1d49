using System.Collections;
using Microsoft.Extensions.AI;

namespace Genesis.Llm;

/// <summary>Builds the LLM pipeline Genesis uses: concurrency limit → retry → OpenAI-compatible client.</summary>
public static class GenesisLlm
{
    /// <summary>The environment variable holding the API's base URL, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public const string EndpointVariable = "GENESIS_LLM_ENDPOINT";

    /// <summary>The environment variable holding the model name.</summary>
    public const string ModelVariable = "GENESIS_LLM_MODEL";

    /// <summary>The environment variable holding the API key; optional for local servers.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>
    /// Builds the pipeline from <c>GENESIS_LLM_ENDPOINT</c>, <c>GENESIS_LLM_MODEL</c> and (optionally) <c>OPENAI_API_KEY</c>,
    /// or returns <see langword="null"/> when neither the endpoint nor the model is set, so the engine runs its offline mutators.
    /// Blank values count as unset.
    /// </summary>
    /// <param name="environment">The variables to read; <see langword="null"/> for the process environment.</param>
    /// <param name="options">The retry, concurrency and price layers; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">Only one of endpoint and model is set, or the endpoint is not an absolute http(s) URI; the message names the variable.</exception>
    public static IChatClient? FromEnvironment(IDictionary? environment = null, LlmClientOptions? options = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        string? endpoint = Read(environment, EndpointVariable);
        string? model = Read(environment, ModelVariable);
        if (endpoint is null && model is null)
        {
            return null;
        }

        if (endpoint is null || model is null)
        {
            string missing = endpoint is null ? EndpointVariable : ModelVariable;
            string present = endpoint is null ? ModelVariable : EndpointVariable;
            throw new ArgumentException($"{present} is set but {missing} is not: set both to use an LLM, or neither to run offline.", nameof(environment));
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || !LlmUris.IsHttpEndpoint(uri))
        {
            throw new ArgumentException(
                $"{EndpointVariable} must be an absolute http or https URI such as http://127.0.0.1:8000/v1, was '{endpoint}'.", nameof(environment));
        }

        return Create(uri, model, Read(environment, ApiKeyVariable), options);
    }

    /// <summary>Builds the pipeline: a <see cref="ConcurrencyLimitingChatClient"/> around a <see cref="RetryingChatClient"/> around an <see cref="OpenAiCompatibleChatClient"/>.</summary>
    /// <param name="endpoint">The API's base URL, the part before <c>/chat/completions</c>.</param>
    /// <param name="model">The model to request.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> for servers that need none.</param>
    /// <param name="options">The retry, concurrency and price layers; <see langword="null"/> for the defaults.</param>
    /// <returns>The pipeline. When <see cref="LlmClientOptions.Price"/> is set, <c>GetService(typeof(ModelPrice))</c> returns it.</returns>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it.</exception>
    public static IChatClient Create(Uri endpoint, string model, string? apiKey = null, LlmClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        options ??= new LlmClientOptions();
        options.Validate();

        var adapter = new OpenAiCompatibleChatClient(new OpenAiCompatibleOptions { Endpoint = endpoint, Model = model, ApiKey = apiKey });
        IChatClient pipeline = new ConcurrencyLimitingChatClient(new RetryingChatClient(adapter, options.Retry), options.MaxConcurrency);
        return options.Price is { } price ? new PricedChatClient(pipeline, price) : pipeline;
    }

    private static string? Read(IDictionary environment, string name) =>
        environment[name] is string value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
