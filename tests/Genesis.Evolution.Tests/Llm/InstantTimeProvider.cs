using System.Collections.Concurrent;

namespace Genesis.Tests.Llm;

/// <summary>A clock whose timers fire at once (on the thread pool) and which records every due time it was asked for.</summary>
/// <remarks>Use it with <c>AttemptTimeout = Timeout.InfiniteTimeSpan</c>, or every attempt would time out immediately.</remarks>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>The due times of the timers created so far, in order: the backoff delays.</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
