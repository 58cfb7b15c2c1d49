using System.ClientModel;
using System.Text.Json;
using Genesis.Llm;
using Genesis.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Genesis.Tests.Llm;

public sealed class ScriptedOpenAiServerTests
{
    private static OpenAiCompatibleChatClient Client(ScriptedOpenAiServer server) =>
        new(new OpenAiCompatibleOptions { Endpoint = server.BaseUri, Model = "m" });

    [Fact]
    public async Task The_responder_answers_by_prompt_once_the_script_is_empty()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Completion("scripted"));
        server.Responder = request => ScriptedReply.Completion($"echo: {request.LastUserMessage}");
        using var client = Client(server);

        Assert.Equal("scripted", (await client.GetResponseAsync("one")).Text);
        Assert.Equal("echo: two", (await client.GetResponseAsync("two")).Text);
        Assert.Equal(0, server.PendingReplies);
    }

    [Fact]
    public async Task Without_script_or_responder_the_server_answers_500_script_exhausted()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        using var client = Client(server);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(500, failure.Status);
        Assert.Contains("script exhausted", failure.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_are_all_recorded_and_answered()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Responder = request => ScriptedReply.Completion(request.LastUserMessage.ToUpperInvariant());
        using var client = Client(server);

        ChatResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => client.GetResponseAsync($"call {i}")));

        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"CALL {i}"), responses.Select(r => r.Text));
        Assert.Equal(32, server.Requests.Count);
        Assert.Equal(32, server.Requests.Select(r => r.LastUserMessage).Distinct().Count());
    }

    [Fact]
    public async Task Models_are_listed_and_more_endpoints_can_be_mapped()
    {
        var options = new ScriptedOpenAiServerOptions
        {
            Models = ["base", "base-lora-7"],
            MapEndpoints = (endpoints, server) => endpoints.MapPost("/v1/load_lora_adapter", async context =>
            {
                RecordedRequest? request = await server.RecordAsync(context.Request);
                context.Response.StatusCode = request is null ? 400 : 200;
                await context.Response.WriteAsync("Success");
            }),
        };
        await using var server = await ScriptedOpenAiServer.StartAsync(options);
        using var http = new HttpClient();

        using JsonDocument models = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseUri + "/models")));
        using var load = await http.PostAsync(
            new Uri(server.BaseUri + "/load_lora_adapter"), new StringContent("{\"lora_name\":\"base-lora-7\"}"));

        Assert.Equal(["base", "base-lora-7"], models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(200, (int)load.StatusCode);
        Assert.Equal(["/v1/models", "/v1/load_lora_adapter"], server.Requests.Select(r => r.Path));
        Assert.Contains("lora_name", server.Requests[1].RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_and_consumes_no_reply()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Completion("kept"));
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(server.BaseUri + "/chat/completions"), new StringContent("not json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(1, server.PendingReplies);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Disposing_ends_a_pending_delayed_reply()
    {
        var server = await ScriptedOpenAiServer.StartAsync();
        server.Enqueue(ScriptedReply.Delay(TimeSpan.FromHours(1), ScriptedReply.Completion("never")));
        using var client = Client(server);

        Task<ChatResponse> call = client.GetResponseAsync("Hi");
        while (server.Requests.Count == 0)
        {
            await Task.Yield();
        }

        await server.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => call);
    }
}
