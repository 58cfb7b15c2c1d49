using System.Collections;
using Genesis.Llm;
using Genesis.Testing;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Llm;

public sealed class GenesisLlmTests : IAsyncLifetime
{
    private ScriptedOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Hashtable Environment(string? endpoint = null, string? model = null, string? key = null)
    {
        var environment = new Hashtable { ["PATH"] = "/usr/bin" };
        if (endpoint is not null)
        {
            environment[GenesisLlm.EndpointVariable] = endpoint;
        }

        if (model is not null)
        {
            environment[GenesisLlm.ModelVariable] = model;
        }

        if (key is not null)
        {
            environment[GenesisLlm.ApiKeyVariable] = key;
        }

        return environment;
    }

    [Fact]
    public void Without_endpoint_and_model_there_is_no_client()
    {
        Assert.Null(GenesisLlm.FromEnvironment(Environment()));
        Assert.Null(GenesisLlm.FromEnvironment(Environment(endpoint: "  ", model: "")));
        Assert.Null(GenesisLlm.FromEnvironment(new Dictionary<string, string>()));
    }

    [Fact]
    public async Task Valid_variables_give_a_working_pipeline_that_sends_the_key()
    {
        _server.Enqueue(ScriptedReply.Completion("ok"));
        using IChatClient? client = GenesisLlm.FromEnvironment(Environment(_server.BaseUri.ToString(), "qwen-coder", "sk-env-123"));

        Assert.NotNull(client);
        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("qwen-coder", request.Model);
        Assert.Equal("Bearer sk-env-123", request.Authorization);
        ChatClientMetadata? metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("qwen-coder", metadata?.DefaultModelId);
        Assert.Equal(_server.BaseUri, metadata?.ProviderUri);
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("/v1")]
    [InlineData("ftp://127.0.0.1/v1")]
    public void An_invalid_endpoint_is_named(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => GenesisLlm.FromEnvironment(Environment(endpoint, "m", "sk-never-shown")));

        Assert.Contains(GenesisLlm.EndpointVariable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-shown", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000/v1", null, GenesisLlm.ModelVariable)]
    [InlineData(null, "m", GenesisLlm.EndpointVariable)]
    public void Half_a_configuration_names_the_missing_variable(string? endpoint, string? model, string missing)
    {
        var error = Assert.Throws<ArgumentException>(() => GenesisLlm.FromEnvironment(Environment(endpoint, model)));

        Assert.Contains($"but {missing} is not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_builds_concurrency_then_retry_then_the_adapter()
    {
        var options = new LlmClientOptions { MaxConcurrency = 2, Retry = new RetryOptions { MaxRetries = 1 } };

        using IChatClient client = GenesisLlm.Create(_server.BaseUri, "m", options: options);

        var limit = Assert.IsType<ConcurrencyLimitingChatClient>(client);
        Assert.Equal(2, limit.MaxConcurrency);
        Assert.Equal(1, client.GetService<RetryingChatClient>()?.Options.MaxRetries);
        Assert.NotNull(client.GetService<OpenAiCompatibleChatClient>());
        Assert.Null(client.GetModelPrice());
    }

    [Fact]
    public async Task Create_retries_through_the_whole_pipeline_and_offers_the_price()
    {
        _server.Enqueue(ScriptedReply.Status(429, retryAfterSeconds: 2), ScriptedReply.Completion("ok", promptTokens: 1000, completionTokens: 500));
        var price = new ModelPrice(2, 8);
        var options = new LlmClientOptions
        {
            Price = price,
            Retry = new RetryOptions { TimeProvider = new InstantTimeProvider(), AttemptTimeout = Timeout.InfiniteTimeSpan },
        };

        using IChatClient client = GenesisLlm.Create(_server.BaseUri, "m", "sk-secret", options);
        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Same(price, client.GetModelPrice());
        Assert.Equal((1000 * 2 + 500 * 8) / 1e6, client.GetModelPrice()!.Cost(response.Usage), 12);
        Assert.DoesNotContain("sk-secret", client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_client_options_are_named()
    {
        var error = Assert.Throws<ArgumentException>(() => GenesisLlm.Create(_server.BaseUri, "m", options: new LlmClientOptions { MaxConcurrency = 0 }));

        Assert.Contains("LlmClientOptions.MaxConcurrency must be between 1 and 1024, was 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new LlmClientOptions();

        Assert.Equal(4, options.MaxConcurrency);
        Assert.Null(options.Price);
        Assert.Equal(new RetryOptions(), options.Retry);
    }
}
