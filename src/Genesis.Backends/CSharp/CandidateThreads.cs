using System.Collections.Concurrent;
using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// Dedicated background threads for in-process candidates, kept parked between evaluations so that an evaluation does
/// not pay for creating and starting a thread. A thread whose candidate runs past its timeout is simply not handed
/// back until the candidate returns (if ever); a new thread takes its place.
/// </summary>
/// <remarks>
/// Candidates never share a thread at the same time. After each run the thread's culture is reset, so that a candidate
/// that changes <see cref="CultureInfo.CurrentCulture"/> does not change it for the next one.
/// </remarks>
internal static class CandidateThreads
{
    /// <summary>The stack of a candidate thread: deep enough that a recursive candidate rarely overflows it (which would end the process).</summary>
    public const int StackSize = 16 * 1024 * 1024;

    private static readonly ConcurrentBag<Worker> Idle = [];
    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount * 2);
    private static int _idleCount;

    /// <summary>Runs <paramref name="work"/> on a parked candidate thread, or on a new one when none is free.</summary>
    /// <param name="work">The work; it reports its own failures and must not throw (an exception would end the process).</param>
    public static void Run(Action work)
    {
        if (Idle.TryTake(out var worker))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            worker = new Worker();
        }

        worker.Post(work);
    }

    private sealed class Worker
    {
        private readonly object _gate = new();
        private Action? _work;

        public Worker()
        {
            new Thread(Loop, StackSize) { IsBackground = true, Name = "Genesis candidate" }.Start();
        }

        public void Post(Action work)
        {
            lock (_gate)
            {
                _work = work;
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            var culture = CultureInfo.CurrentCulture;
            var uiCulture = CultureInfo.CurrentUICulture;
            while (true)
            {
                Action work;
                lock (_gate)
                {
                    while (_work is null)
                    {
                        Monitor.Wait(_gate);
                    }

                    work = _work;
                    _work = null;
                }

                work();
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = uiCulture;

                // Parked again, unless enough threads already are: then this one ends.
                if (Interlocked.Increment(ref _idleCount) > MaxIdle)
                {
                    Interlocked.Decrement(ref _idleCount);
                    return;
                }

                Idle.Add(this);
            }
        }
    }
}
