using Microsoft.Extensions.Logging;

namespace Genesis.Engine;

/// <summary>The engine's log messages. Prompts and code are never logged; secrets never reach the engine.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Information, "Run started in {RunFolder} ({State}, {Completed} evaluations done)")]
    public static partial void RunStarted(ILogger logger, string runFolder, string state, int completed);

    [LoggerMessage(2, LogLevel.Warning, "{Message}")]
    public static partial void Notice(ILogger logger, string message);

    [LoggerMessage(3, LogLevel.Information, "New best {Score} from candidate {Id} (island {Island}, {Mutation})")]
    public static partial void NewBest(ILogger logger, double score, long id, int island, MutationKind mutation);

    [LoggerMessage(4, LogLevel.Debug, "Candidate {Id} evaluated: {Status} {Score}")]
    public static partial void Evaluated(ILogger logger, long id, EvaluationStatus status, double score);

    [LoggerMessage(5, LogLevel.Debug, "Candidate {Id} rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, long id, string reason);

    [LoggerMessage(6, LogLevel.Warning, "An event handler threw {ExceptionType}; the run goes on")]
    public static partial void HandlerFailed(ILogger logger, string exceptionType, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "The embedding generator threw {ExceptionType}; this proposal skips the novelty check")]
    public static partial void EmbeddingFailed(ILogger logger, string exceptionType, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Run stopped: {Reason} after {Completed} evaluations, best {Best}")]
    public static partial void RunStopped(ILogger logger, StopReason reason, int completed, double best);
}
