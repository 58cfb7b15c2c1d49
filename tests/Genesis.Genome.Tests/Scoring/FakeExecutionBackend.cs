namespace Genesis.GenomeTests.Scoring;

/// <summary>A hand-written backend: records each request and token, and answers with <see cref="OnRun"/>.</summary>
internal sealed class FakeExecutionBackend : IExecutionBackend
{
    public Func<ProcessRequest, CancellationToken, ProcessOutcome> OnRun { get; set; } = (_, _) => new ProcessOutcome();

    public List<ProcessRequest> Requests { get; } = [];

    public List<CancellationToken> Tokens { get; } = [];

    public int MaxParallelism => 1;

    public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        Tokens.Add(cancellationToken);
        return Task.FromResult(OnRun(request, cancellationToken));
    }
}
