using Genesis.Diffs;
using Genesis.Llm;
using Genesis.Prompts;
using Microsoft.Extensions.AI;

namespace Genesis.Mutation;

/// <summary>
/// Asks one model for a diff, a full rewrite or a crossover, and applies the answer to the parent. An answer that cannot
/// be applied (a SEARCH that matches nothing, an edit outside the blocks, an empty or truncated answer) is sent back to
/// the model with the reason and the closest matching lines, up to the retry limit; then the proposal fails with that
/// reason, which the engine records on the candidate and shows in the island's next prompts.
/// </summary>
internal sealed class LlmMutator(IChatClient client, string model, ModelPrice? price, PromptBuilder prompts, int maxRetries, IReadOnlyList<double> temperatures) : IMutator
{
    public IReadOnlyCollection<MutationKind> Kinds { get; } = [MutationKind.Diff, MutationKind.FullRewrite, MutationKind.Crossover];

    public async ValueTask<MutationProposal> MutateAsync(MutationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var repairMode = !context.Parent.IsCorrect;
        var messages = prompts.Build(context, repairMode);
        var options = new ChatOptions { Temperature = (float)temperatures[context.Random.Next(temperatures.Count)] };
        long input = 0;
        long output = 0;
        double cost = 0;
        string error = "no answer";
        string? lastAnswer = null;
        for (var attempt = 1; attempt <= maxRetries + 1; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // The client already retried transient failures; what reaches here is final for this proposal.
                return Failure(context.Kind, $"The LLM call failed: {ex.GetType().Name}: {ex.Message}", lastAnswer, input, output, cost, attempt);
            }

            input += response.Usage?.InputTokenCount ?? 0;
            output += response.Usage?.OutputTokenCount ?? 0;
            cost += price?.Cost(response.Usage) ?? 0;
            var answer = response.Text ?? string.Empty;
            lastAnswer = answer;
            var truncated = response.FinishReason == ChatFinishReason.Length;
            var (code, diff, failure) = Apply(context, answer, truncated);
            if (code is not null)
            {
                return new MutationProposal
                {
                    Code = code,
                    Kind = context.Kind,
                    Diff = diff,
                    Model = model,
                    InputTokens = input,
                    OutputTokens = output,
                    Cost = cost,
                    Attempts = attempt,
                };
            }

            error = failure!;
            messages.Add(new ChatMessage(ChatRole.Assistant, answer.Length > 0 ? answer : "(empty answer)"));
            messages.Add(prompts.RetryTurn(error));
        }

        return Failure(context.Kind, error, lastAnswer, input, output, cost, maxRetries + 1);
    }

    private static (string? Code, string? Diff, string? Error) Apply(MutationContext context, string answer, bool truncated)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return (null, null, truncated ? "The answer was cut off before any content (finish_reason=length)." : "The answer was empty.");
        }

        if (context.Kind == MutationKind.Diff)
        {
            var parsed = SearchReplaceParser.Parse(answer);
            if (parsed.Edits.Count == 0)
            {
                var reason = parsed.Problems.Count > 0
                    ? parsed.DescribeProblems()
                    : "No SEARCH/REPLACE block was found. Use the exact format: <<<<<<< SEARCH, the old lines, =======, the new lines, >>>>>>> REPLACE.";
                return (null, null, truncated ? $"The answer was truncated (finish_reason=length). {reason}" : reason);
            }

            if (parsed.IsTruncated)
            {
                return (null, null, $"The answer was truncated: {parsed.DescribeProblems()}");
            }

            var patched = PatchApplier.Apply(context.Parent.Code, parsed.Edits);
            return patched.Succeeded
                ? (patched.Code, SearchReplaceWriter.Format(parsed.Edits), null)
                : (null, null, patched.DescribeFailures());
        }

        var rewrite = FullRewrite.Apply(context.Parent.Code, answer, context.Language);
        if (!rewrite.Succeeded)
        {
            return (null, null, truncated ? $"The answer was truncated (finish_reason=length): {rewrite.Reason}" : rewrite.Reason);
        }

        return (rewrite.Code, UnifiedDiff.Create(context.Parent.Code, rewrite.Code!), null);
    }

    private MutationProposal Failure(MutationKind kind, string error, string? answer, long input, long output, double cost, int attempts) =>
        new()
        {
            Kind = kind,
            Error = error,
            Diff = answer,
            Model = model,
            InputTokens = input,
            OutputTokens = output,
            Cost = cost,
            Attempts = attempts,
        };
}
