using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Genesis.Prompts;

/// <summary>Builds the chat messages of one proposal: the task, the parent with its metrics and feedback, inspirations and recent failures.</summary>
internal sealed class PromptBuilder(PromptTemplates templates)
{
    private const int MaxFeedbackChars = 2_000;

    public PromptTemplates Templates { get; } = templates;

    public List<ChatMessage> Build(MutationContext context, bool repairMode)
    {
        var system = Fill(Templates.System, context.Language, context.TaskDescription.Length > 0 ? context.TaskDescription : "(no description: improve the score)");
        var user = new StringBuilder();
        AppendProgram(user, "# Current program", context.Parent, context.Language);

        if (context.Kind == MutationKind.Crossover && context.Inspirations.Count > 0)
        {
            AppendProgram(user, "# Second parent", context.Inspirations[0], context.Language);
        }

        var inspirations = context.Kind == MutationKind.Crossover ? context.Inspirations.Skip(1) : context.Inspirations;
        var first = true;
        foreach (var inspiration in inspirations)
        {
            if (first)
            {
                user.Append("# Other programs for inspiration\n\n");
                first = false;
            }

            AppendProgram(user, $"## Program {inspiration.Id}", inspiration, context.Language);
        }

        if (context.RecentFailures.Count > 0)
        {
            user.Append("# Recent failures (avoid repeating them)\n\n");
            foreach (var failure in context.RecentFailures)
            {
                user.Append("- ").Append(Truncate(failure.ReplaceLineEndings(" "), 400)).Append('\n');
            }

            user.Append('\n');
        }

        user.Append("# Your job\n\n");
        if (repairMode)
        {
            user.Append(Templates.RepairInstructions).Append("\n\n");
        }

        var instructions = context.Kind switch
        {
            MutationKind.FullRewrite => Templates.FullRewriteInstructions,
            MutationKind.Crossover => Templates.CrossoverInstructions,
            _ => Templates.DiffInstructions,
        };
        user.Append(Fill(instructions, context.Language, context.TaskDescription));
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user.ToString())];
    }

    public ChatMessage RetryTurn(string error) => new(ChatRole.User, Templates.RetryTurn.Replace("{error}", error, StringComparison.Ordinal));

    private static void AppendProgram(StringBuilder builder, string title, Candidate candidate, ProgramLanguage language)
    {
        builder.Append(title);
        if (candidate.Evaluation is { } e)
        {
            builder.Append(CultureInfo.InvariantCulture, $" (score {FormatScore(candidate)}, {(e.IsSuccess ? (e.Correct ? "correct" : "incorrect") : e.Status.ToString())})");
        }

        builder.Append("\n\n");
        if (candidate.Evaluation is { } evaluation)
        {
            if (evaluation.PublicMetrics.Count > 0)
            {
                builder.Append("Metrics: ");
                builder.AppendJoin(", ", evaluation.PublicMetrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:G6}")));
                builder.Append('\n');
            }

            if (evaluation.TextFeedback.Length > 0)
            {
                builder.Append("Feedback: ").Append(Truncate(evaluation.TextFeedback.Trim(), MaxFeedbackChars)).Append('\n');
            }
        }

        builder.Append("```").Append(language.Name).Append('\n').Append(candidate.Code.TrimEnd()).Append("\n```\n\n");
    }

    private static string FormatScore(Candidate candidate) =>
        double.IsFinite(candidate.Score) ? candidate.Score.ToString("G8", CultureInfo.InvariantCulture) : "none";

    private static string Fill(string template, ProgramLanguage language, string description) =>
        template.Replace("{language}", language.Name, StringComparison.Ordinal)
            .Replace("{task_description}", description, StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), " …");
}
