using System.Collections.Concurrent;

namespace Genesis.Execution.Tests.Languages;

/// <summary>A real backend that records every process it is asked to run, with the token it was given.</summary>
internal sealed class CountingBackend : IExecutionBackend
{
    private readonly IExecutionBackend _inner;
    private readonly ConcurrentQueue<(ProcessRequest Request, CancellationToken Token)> _calls = new();

    public CountingBackend(IExecutionBackend? inner = null)
    {
        _inner = inner ?? Backends.Local(4);
    }

    public int MaxParallelism => _inner.MaxParallelism;

    /// <summary>How many processes were run.</summary>
    public int Count => _calls.Count;

    public IReadOnlyList<ProcessRequest> Requests => _calls.Select(call => call.Request).ToList();

    public IReadOnlyList<CancellationToken> Tokens => _calls.Select(call => call.Token).ToList();

    public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue((request, cancellationToken));
        return _inner.RunAsync(request, cancellationToken);
    }
}
