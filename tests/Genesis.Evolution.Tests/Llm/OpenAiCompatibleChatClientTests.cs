using System.ClientModel;
using Genesis.Llm;
using Genesis.Testing;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Llm;

public sealed class OpenAiCompatibleChatClientTests : IAsyncLifetime
{
    private const string Model = "genesis-test-model";
    private ScriptedOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OpenAiCompatibleChatClient Client(string? apiKey = null, Uri? endpoint = null) =>
        new(new OpenAiCompatibleOptions { Endpoint = endpoint ?? _server.BaseUri, Model = Model, ApiKey = apiKey });

    [Fact]
    public async Task A_completion_round_trips_text_model_usage_and_finish_reason()
    {
        _server.Enqueue(ScriptedReply.Completion("def f(): return 42", promptTokens: 11, completionTokens: 7));
        using var client = Client();

        ChatResponse response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You write Python."), new ChatMessage(ChatRole.User, "Improve f.")]);

        Assert.Equal("def f(): return 42", response.Text);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(11, response.Usage?.InputTokenCount);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        Assert.Equal(18, response.Usage?.TotalTokenCount);
        Assert.StartsWith("chatcmpl-scripted-", response.ResponseId, StringComparison.Ordinal);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);

        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal(Model, request.Model);
        Assert.Equal([new RecordedMessage("system", "You write Python."), new RecordedMessage("user", "Improve f.")], request.Messages);
        Assert.False(request.Stream);
    }

    [Fact]
    public async Task The_length_finish_reason_surfaces_so_truncation_is_detectable()
    {
        _server.Enqueue(ScriptedReply.Completion("def f(): ret", finishReason: "length"));
        using var client = Client();

        ChatResponse response = await client.GetResponseAsync("Write f.");

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task Chat_options_reach_the_request()
    {
        _server.Enqueue(ScriptedReply.Completion("ok"));
        using var client = Client();
        var options = new ChatOptions
        {
            ModelId = "other-model",
            Instructions = "Be brief.",
            Temperature = 0.25f,
            TopP = 0.5f,
            MaxOutputTokens = 77,
            StopSequences = ["END"],
            Seed = 42,
        };

        ChatResponse response = await client.GetResponseAsync("Hi", options);

        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("other-model", request.Model);
        Assert.Equal("other-model", response.ModelId);
        Assert.Equal([new RecordedMessage("system", "Be brief."), new RecordedMessage("user", "Hi")], request.Messages);
        Assert.Equal(0.25, request.Temperature!.Value, 6);
        Assert.Equal(0.5, request.TopP!.Value, 6);
        Assert.Equal(77, request.MaxTokens);
        Assert.Equal(["END"], request.StopSequences);
        Assert.Equal(42, request.Seed);
    }

    [Fact]
    public async Task An_assistant_turn_is_sent_back_in_the_conversation()
    {
        _server.Enqueue(ScriptedReply.Completion("second"));
        using var client = Client();

        await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "first?"), new ChatMessage(ChatRole.Assistant, "first"), new ChatMessage(ChatRole.User, "again")]);

        Assert.Equal(
            [new RecordedMessage("user", "first?"), new RecordedMessage("assistant", "first"), new RecordedMessage("user", "again")],
            Assert.Single(_server.Requests).Messages);
    }

    [Fact]
    public async Task Streaming_yields_the_text_pieces_and_the_usage()
    {
        _server.Enqueue(ScriptedReply.Completion("alpha beta gamma", promptTokens: 5, completionTokens: 3));
        using var client = Client();

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Say three words."))
        {
            updates.Add(update);
        }

        string[] pieces = [.. updates.Select(u => u.Text).Where(t => t.Length > 0)];
        Assert.Equal(["alpha ", "beta ", "gamma"], pieces);
        UsageDetails usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        Assert.All(updates, u => Assert.Equal(Model, u.ModelId));

        ChatResponse combined = updates.ToChatResponse();
        Assert.Equal("alpha beta gamma", combined.Text);
        Assert.Equal(8, combined.Usage?.TotalTokenCount);

        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
    }

    [Fact]
    public async Task A_trailing_slash_on_the_endpoint_reaches_the_same_path()
    {
        _server.Enqueue(ScriptedReply.Completion("ok"));
        using var client = Client(endpoint: new Uri(_server.BaseUri + "/"));

        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal("/v1/chat/completions", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_header_and_never_shown()
    {
        const string Key = "sk-test-5f2c9a1e7d";
        _server.Enqueue(ScriptedReply.Completion("ok"), ScriptedReply.Status(401, "{\"error\":{\"message\":\"bad key\"}}"));
        var options = new OpenAiCompatibleOptions { Endpoint = _server.BaseUri, Model = Model, ApiKey = Key };
        using var client = new OpenAiCompatibleChatClient(options);

        await client.GetResponseAsync("Hi");
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("Hi again"));

        Assert.Equal($"Bearer {Key}", _server.Requests[0].Authorization);
        Assert.Equal(401, failure.Status);
        Assert.DoesNotContain(Key, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, client.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey = (set)", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_a_placeholder_is_sent()
    {
        _server.Enqueue(ScriptedReply.Completion("ok"));
        using var client = Client();

        await client.GetResponseAsync("Hi");

        Assert.Equal($"Bearer {OpenAiCompatibleOptions.PlaceholderApiKey}", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public void GetService_returns_the_metadata_and_the_client()
    {
        using var client = Client();

        ChatClientMetadata? metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("openai", metadata.ProviderName);
        Assert.Equal(_server.BaseUri, metadata.ProviderUri);
        Assert.Equal(Model, metadata.DefaultModelId);
        Assert.Same(client, client.GetService<OpenAiCompatibleChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("some key"));
        Assert.Null(client.GetService<ModelPrice>());
    }

    [Fact]
    public void The_endpoint_user_info_is_not_shown()
    {
        var options = new OpenAiCompatibleOptions { Endpoint = new Uri("http://user:hunter2@127.0.0.1:9/v1"), Model = Model };
        using var client = new OpenAiCompatibleChatClient(options);

        Assert.DoesNotContain("hunter2", client.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", client.GetService<ChatClientMetadata>()!.ProviderUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_is_an_error_not_a_silent_empty_answer()
    {
        _server.Enqueue(ScriptedReply.Malformed("{\"id\": \"x\", \"choices\": [ {"));
        using var client = Client();

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("Hi"));
    }

    [Fact]
    public async Task Unsupported_roles_and_contents_are_refused_before_sending()
    {
        using var client = Client();

        var role = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.Tool, "result")]));
        var content = await Assert.ThrowsAsync<NotSupportedException>(
            () => client.GetResponseAsync([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "image/png")])]));

        Assert.Contains("tool", role.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DataContent), content.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/v1", "Endpoint")]
    [InlineData("http://127.0.0.1/v1", "Model")]
    public void Invalid_options_are_named(string endpoint, string field)
    {
        var options = new OpenAiCompatibleOptions { Endpoint = new Uri(endpoint), Model = field == "Model" ? " " : Model };

        var error = Assert.Throws<ArgumentException>(() => new OpenAiCompatibleChatClient(options));

        Assert.Contains($"OpenAiCompatibleOptions.{field}", error.Message, StringComparison.Ordinal);
    }
}
