using Genesis.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Genesis.Tests.Engine;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddGenesis_builds_runs_with_the_container_s_chat_client_and_configuration()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Responder = LlmEvolutionTests.ImproveX;
        using var folder = new TempRunFolder();
        var services = new ServiceCollection();
        services.AddSingleton(Genesis.Llm.GenesisLlm.Create(server.BaseUri, "container-model"));
        services.AddGenesis((builder, _) => builder.WithBudget(maxEvaluations: 3).WithRunFolder(folder.Path).WithMutationMix(1, 0, 0));
        await using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<IEvolutionFactory>();
        var result = await factory.For<QuadraticTask>().RunAsync();

        Assert.Equal(3, result.CompletedEvaluations);
        Assert.Contains(result.Models, m => m.Model == "container-model" && m.Proposals >= 1);
        Assert.NotEmpty(server.Requests);
    }

    [Fact]
    public async Task The_caller_s_token_reaches_the_chat_client()
    {
        using var folder = new TempRunFolder();
        using var cancel = new CancellationTokenSource();
        var tokenSeen = new TaskCompletionSource<CancellationToken>();
        var client = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                tokenSeen.TrySetResult(token);
                await Task.Delay(Timeout.Infinite, token);
                return new ChatResponse();
            },
        };
        var run = Evolution.For<QuadraticTask>().WithLlm(client, name: "fake").WithBudget(maxEvaluations: 5).WithRunFolder(folder.Path).RunAsync(cancel.Token);
        var token = await tokenSeen.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(token.CanBeCanceled);
        await cancel.CancelAsync();
        Assert.True(token.IsCancellationRequested, "cancelling the run cancels the LLM call in flight");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
