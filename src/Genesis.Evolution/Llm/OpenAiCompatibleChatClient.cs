using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAIChat = OpenAI.Chat;

namespace Genesis.Llm;

/// <summary>
/// An <see cref="IChatClient"/> over the <c>OpenAI</c> package's chat client, for any server that speaks the OpenAI chat
/// completions API. It sends system, user and assistant text; it does not retry (the package's own retries are switched
/// off, wrap it in a <see cref="RetryingChatClient"/>, or build the whole pipeline with <see cref="GenesisLlm.Create"/>).
/// </summary>
/// <remarks>
/// Failed HTTP calls surface as <see cref="ClientResultException"/> carrying the status code. Neither <see cref="ToString"/>
/// nor the exceptions this class raises contain the API key.
/// </remarks>
public sealed class OpenAiCompatibleChatClient : IChatClient
{
    private readonly OpenAIClient _client;
    private readonly ConcurrentDictionary<string, OpenAIChat.ChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ChatClientMetadata _metadata;
    private readonly string _defaultModel;

    /// <summary>Creates a client for <paramref name="options"/>.</summary>
    /// <param name="options">The endpoint, model, key and network timeout.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public OpenAiCompatibleChatClient(OpenAiCompatibleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.NetworkTimeout,
            // Retries belong to RetryingChatClient: it honours Retry-After, the caller's token and a seeded jitter.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        _client = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? OpenAiCompatibleOptions.PlaceholderApiKey), clientOptions);
        _defaultModel = options.Model;
        _metadata = new ChatClientMetadata("openai", LlmUris.Redacted(options.Endpoint), options.Model);
    }

    /// <summary>The model requested when <see cref="ChatOptions.ModelId"/> is not set.</summary>
    public string DefaultModel => _defaultModel;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (chatClient, request, requestOptions) = Prepare(messages, options);
        ClientResult<OpenAIChat.ChatCompletion> result =
            await chatClient.CompleteChatAsync(request, requestOptions, cancellationToken).ConfigureAwait(false);
        return ToChatResponse(result.Value);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (chatClient, request, requestOptions) = Prepare(messages, options);
        return StreamAsync(chatClient, request, requestOptions, cancellationToken);
    }

    /// <summary>Returns the <see cref="ChatClientMetadata"/> (provider "openai", endpoint, default model) or this client.</summary>
    /// <param name="serviceType">The type of service wanted.</param>
    /// <param name="serviceKey">Must be <see langword="null"/>; keyed services are not offered.</param>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Does nothing: the HTTP transport is shared by System.ClientModel and outlives this client.</summary>
    public void Dispose()
    {
    }

    /// <summary>Names the endpoint and default model, never the API key.</summary>
    public override string ToString() => $"OpenAiCompatibleChatClient(endpoint: {LlmUris.Display(_metadata.ProviderUri)}, model: {_defaultModel})";

    private static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        OpenAIChat.ChatClient chatClient,
        List<OpenAIChat.ChatMessage> request,
        OpenAIChat.ChatCompletionOptions requestOptions,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The package asks for a final usage chunk (stream_options.include_usage) on every streaming request.
        await foreach (OpenAIChat.StreamingChatCompletionUpdate update in chatClient
            .CompleteChatStreamingAsync(request, requestOptions, cancellationToken)
            .WithCancellation(cancellationToken)
            .ConfigureAwait(false))
        {
            yield return ToChatResponseUpdate(update);
        }
    }

    private (OpenAIChat.ChatClient Client, List<OpenAIChat.ChatMessage> Messages, OpenAIChat.ChatCompletionOptions Options) Prepare(
        IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        string model = string.IsNullOrWhiteSpace(options?.ModelId) ? _defaultModel : options.ModelId;
        OpenAIChat.ChatClient chatClient = _chatClients.GetOrAdd(model, static (name, client) => client.GetChatClient(name), _client);
        return (chatClient, ToOpenAiMessages(messages, options), ToOpenAiOptions(options));
    }

    private static List<OpenAIChat.ChatMessage> ToOpenAiMessages(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var result = new List<OpenAIChat.ChatMessage>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            result.Add(new OpenAIChat.SystemChatMessage(options.Instructions));
        }

        foreach (ChatMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            string text = TextOf(message);
            if (message.Role == ChatRole.System)
            {
                result.Add(new OpenAIChat.SystemChatMessage(text));
            }
            else if (message.Role == ChatRole.User)
            {
                result.Add(new OpenAIChat.UserChatMessage(text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                result.Add(new OpenAIChat.AssistantChatMessage(text));
            }
            else
            {
                throw new NotSupportedException(
                    $"OpenAiCompatibleChatClient sends system, user and assistant text messages; the role '{message.Role}' is not supported.");
            }
        }

        return result;
    }

    private static string TextOf(ChatMessage message)
    {
        var text = new StringBuilder();
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent textContent:
                    text.Append(textContent.Text);
                    break;
                case TextReasoningContent or UsageContent:
                    // Earlier turns' reasoning and usage are bookkeeping, not conversation: they are not sent back.
                    break;
                default:
                    throw new NotSupportedException(
                        $"OpenAiCompatibleChatClient sends text only; a {message.Role} message holds a {content.GetType().Name}.");
            }
        }

        return text.ToString();
    }

    private static OpenAIChat.ChatCompletionOptions ToOpenAiOptions(ChatOptions? options)
    {
        var result = new OpenAIChat.ChatCompletionOptions();
        if (options is null)
        {
            return result;
        }

        if (options.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("OpenAiCompatibleChatClient does not call tools; ChatOptions.Tools must be empty.");
        }

        result.Temperature = options.Temperature;
        result.TopP = options.TopP;
        result.MaxOutputTokenCount = options.MaxOutputTokens;
        result.FrequencyPenalty = options.FrequencyPenalty;
        result.PresencePenalty = options.PresencePenalty;
#pragma warning disable OPENAI001 // Seed is marked experimental by the OpenAI package (OpenAI deprecated it); vLLM and llama.cpp honour it.
        result.Seed = options.Seed;
#pragma warning restore OPENAI001
        if (options.StopSequences is { } stops)
        {
            foreach (string stop in stops)
            {
                result.StopSequences.Add(stop);
            }
        }

        result.ResponseFormat = options.ResponseFormat switch
        {
            null => null,
            ChatResponseFormatText => OpenAIChat.ChatResponseFormat.CreateTextFormat(),
            ChatResponseFormatJson { Schema: { } schema } json => OpenAIChat.ChatResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription),
            ChatResponseFormatJson => OpenAIChat.ChatResponseFormat.CreateJsonObjectFormat(),
            _ => throw new NotSupportedException($"OpenAiCompatibleChatClient does not know the response format {options.ResponseFormat.GetType().Name}."),
        };
        return result;
    }

    private static ChatResponse ToChatResponse(OpenAIChat.ChatCompletion completion)
    {
        var message = new ChatMessage(ChatRole.Assistant, TextOf(completion.Content))
        {
            MessageId = completion.Id,
            RawRepresentation = completion,
        };
        return new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = ToUsage(completion.Usage),
            RawRepresentation = completion,
        };
    }

    private static ChatResponseUpdate ToChatResponseUpdate(OpenAIChat.StreamingChatCompletionUpdate update)
    {
        var contents = new List<AIContent>();
        string text = TextOf(update.ContentUpdate);
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        if (ToUsage(update.Usage) is { } usage)
        {
            contents.Add(new UsageContent(usage));
        }

        return new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ResponseId = update.CompletionId,
            MessageId = update.CompletionId,
            ModelId = update.Model,
            CreatedAt = update.CreatedAt,
            FinishReason = update.FinishReason is { } reason ? ToFinishReason(reason) : null,
            RawRepresentation = update,
        };
    }

    private static string TextOf(OpenAIChat.ChatMessageContent? content)
    {
        if (content is null || content.Count == 0)
        {
            return string.Empty;
        }

        if (content.Count == 1)
        {
            return content[0].Text ?? string.Empty;
        }

        var text = new StringBuilder();
        foreach (OpenAIChat.ChatMessageContentPart part in content)
        {
            text.Append(part.Text);
        }

        return text.ToString();
    }

    private static ChatFinishReason ToFinishReason(OpenAIChat.ChatFinishReason reason) =>
        reason switch
        {
            OpenAIChat.ChatFinishReason.Stop => ChatFinishReason.Stop,
            OpenAIChat.ChatFinishReason.Length => ChatFinishReason.Length,
            OpenAIChat.ChatFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
            OpenAIChat.ChatFinishReason.ToolCalls or OpenAIChat.ChatFinishReason.FunctionCall => ChatFinishReason.ToolCalls,
            _ => new ChatFinishReason(reason.ToString().ToLowerInvariant()),
        };

    private static UsageDetails? ToUsage(OpenAIChat.ChatTokenUsage? usage) =>
        usage is null
            ? null
            : new UsageDetails
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
                CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
                ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
            };
}
