using Microsoft.AspNetCore.Routing;

namespace Genesis.Testing;

/// <summary>How a <see cref="ScriptedOpenAiServer"/> is set up before it starts.</summary>
public sealed class ScriptedOpenAiServerOptions
{
    /// <summary>The model ids <c>GET /v1/models</c> lists. Default: <c>genesis-test-model</c>.</summary>
    public IReadOnlyList<string> Models { get; init; } = ["genesis-test-model"];

    /// <summary>
    /// Maps more endpoints (for example vLLM's <c>/v1/load_lora_adapter</c>) next to the built-in ones. Handlers can use
    /// <see cref="ScriptedOpenAiServer.RecordAsync"/> and <see cref="ScriptedOpenAiServer.TakeReply"/> to share the
    /// request log and the script.
    /// </summary>
    public Action<IEndpointRouteBuilder, ScriptedOpenAiServer>? MapEndpoints { get; init; }
}
