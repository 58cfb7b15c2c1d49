namespace Genesis.Execution;

/// <summary>The checks every backend makes of a <see cref="ProcessRequest"/> before it runs anything: the caller's mistakes throw, naming the field.</summary>
internal static class ProcessRequestValidation
{
    /// <summary>The longest timeout a backend accepts (the limit of a <see cref="CancellationTokenSource"/> delay).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    public static void Validate(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.FileName))
        {
            throw new ArgumentException("ProcessRequest.FileName must name a program.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.WorkingDirectory))
        {
            throw new ArgumentException("ProcessRequest.WorkingDirectory must name a folder.", nameof(request));
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"ProcessRequest.WorkingDirectory does not exist: {request.WorkingDirectory}");
        }

        if (request.Timeout != Timeout.InfiniteTimeSpan && (request.Timeout <= TimeSpan.Zero || request.Timeout > MaxTimeout))
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.Timeout,
                $"ProcessRequest.Timeout must be positive and at most {MaxTimeout}, or Timeout.InfiniteTimeSpan, was {request.Timeout}.");
        }

        if (request.MaxOutputBytes < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.MaxOutputBytes,
                $"ProcessRequest.MaxOutputBytes must be between 0 and {int.MaxValue}, was {request.MaxOutputBytes}.");
        }
    }
}
