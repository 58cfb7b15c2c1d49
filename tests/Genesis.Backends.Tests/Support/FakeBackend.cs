namespace Genesis.Execution.Tests.Support;

/// <summary>A backend driven by a callback, recording what it was asked to run.</summary>
internal sealed class FakeBackend : IExecutionBackend
{
    public Func<ProcessRequest, CancellationToken, Task<ProcessOutcome>> OnRun { get; set; } =
        (_, _) => Task.FromResult(new ProcessOutcome());

    public List<(ProcessRequest Request, CancellationToken Token)> Calls { get; } = [];

    public int MaxParallelism => 1;

    public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add((request, cancellationToken));
        return OnRun(request, cancellationToken);
    }
}
