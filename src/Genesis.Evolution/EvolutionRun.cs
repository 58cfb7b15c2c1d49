using System.Threading.Channels;

namespace Genesis;

/// <summary>A run in progress: its events as they happen, and its result when it ends.</summary>
public sealed class EvolutionRun
{
    private readonly ChannelReader<EvolutionEvent> _events;

    internal EvolutionRun(ChannelReader<EvolutionEvent> events, Task<EvolutionResult> completion)
    {
        _events = events;
        Completion = completion;
    }

    /// <summary>The result; faults with <see cref="OperationCanceledException"/> when the run was cancelled.</summary>
    public Task<EvolutionResult> Completion { get; }

    /// <summary>The run's events in order, ending after <see cref="RunCompleted"/>. Read them once.</summary>
    public IAsyncEnumerable<EvolutionEvent> Events(CancellationToken cancellationToken = default) => _events.ReadAllAsync(cancellationToken);
}
