using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Runs processes on this machine, at most <see cref="MaxParallelism"/> at once, each with a wall-clock limit that kills
/// its whole process tree, capped output capture, and an environment without the host's secrets.
/// </summary>
/// <remarks>
/// <para>
/// On Linux each child is started through <c>setsid</c> so that it leads its own process group; on a timeout or a
/// cancellation the group is killed with <c>SIGKILL</c> (reaching grandchildren, even orphaned ones), and then the tree
/// under the child as a fallback. When the child exits normally, members of its group still running (background
/// processes it left behind) are killed too, so that no candidate outlives its evaluation. On other systems the tree
/// under the child is killed with <see cref="Process.Kill(bool)"/>.
/// </para>
/// <para>
/// A program that cannot be started is reported through <see cref="ProcessOutcome.StartError"/>; a timeout through
/// <see cref="ProcessOutcome.TimedOut"/>. Only the caller's mistakes (a missing working folder, a negative limit) and
/// cancellation throw.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The SemaphoreSlim never allocates its wait handle (AvailableWaitHandle is not used), so there is nothing to release; a backend lives as long as the runs that share it.")]
public sealed class LocalProcessBackend : IExecutionBackend
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly LocalBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates a backend with the default options.</summary>
    public LocalProcessBackend()
        : this(new LocalBackendOptions())
    {
    }

    /// <summary>Creates a backend; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options; later changes to this instance have no effect on the backend.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public LocalProcessBackend(LocalBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _time = _options.TimeProvider;
        _slots = new SemaphoreSlim(_options.MaxParallelism, _options.MaxParallelism);
    }

    /// <inheritdoc />
    public int MaxParallelism => _options.MaxParallelism;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The request is malformed; the message names the field.</exception>
    /// <exception cref="DirectoryNotFoundException">The request's working folder does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process tree was killed first.</exception>
    public async Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunOneAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static void Validate(ProcessRequest request)
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

    private async Task<ProcessOutcome> RunOneAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var workingDirectory = Path.GetFullPath(request.WorkingDirectory);
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        ChildEnvironment.Fill(startInfo.Environment, Environment.GetEnvironmentVariables(), _options.InheritedVariables, request.Environment);

        var setsid = ProcessTree.Setsid;
        var ownGroup = setsid is not null;
        if (ownGroup)
        {
            // setsid looks nothing up itself that we could report as a start error, so resolve the program here.
            startInfo.Environment.TryGetValue("PATH", out var childPath);
            var program = ProgramLocator.Resolve(request.FileName, workingDirectory, childPath ?? Environment.GetEnvironmentVariable("PATH"), out var error);
            if (program is null)
            {
                return new ProcessOutcome { ExitCode = -1, StartError = error };
            }

            startInfo.FileName = setsid!;
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
        }
        else
        {
            startInfo.FileName = request.FileName;
        }

        foreach (var argument in request.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var started = _time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessOutcome
            {
                ExitCode = -1,
                StartError = $"program '{request.FileName}' could not start: {e.Message}",
                Duration = _time.GetElapsedTime(started),
            };
        }

        var groupId = process.Id;
        var finished = false;
        try
        {
            var outcome = await SuperviseAsync(process, groupId, ownGroup, request, started, cancellationToken).ConfigureAwait(false);
            finished = true;
            return outcome;
        }
        finally
        {
            if (!finished)
            {
                // Cancelled (already killed, killing again is harmless) or an unexpected failure: leave nothing running.
                ProcessTree.Kill(process, groupId, ownGroup);
            }
        }
    }

    private async Task<ProcessOutcome> SuperviseAsync(Process process, int groupId, bool ownGroup, ProcessRequest request, long started, CancellationToken cancellationToken)
    {
        using var drain = new CancellationTokenSource();
        var stdout = CappedOutput.ReadAsync(process.StandardOutput.BaseStream, request.MaxOutputBytes, drain.Token);
        var stderr = CappedOutput.ReadAsync(process.StandardError.BaseStream, request.MaxOutputBytes, drain.Token);
        var stdin = WriteInputAsync(process.StandardInput.BaseStream, request.StandardInput, drain.Token);

        var timedOut = false;
        var cancelled = false;
        using (var timeout = new CancellationTokenSource(request.Timeout, _time))
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                cancelled = cancellationToken.IsCancellationRequested;
                timedOut = !cancelled;
            }
        }

        var duration = _time.GetElapsedTime(started);
        if (timedOut || cancelled)
        {
            ProcessTree.Kill(process, groupId, ownGroup);
        }
        else if (ownGroup)
        {
            // The child is gone; whatever it left running in its group goes too.
            ProcessTree.KillGroup(groupId);
        }

        using var deadline = new CancellationTokenSource(_options.OutputDrainTimeout, _time);
        using var onDeadline = deadline.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), drain);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Not reaped in time (uninterruptible sleep); report what we have.
        }

        await stdin.ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (cancelled)
        {
            throw new OperationCanceledException("The process run was cancelled and its process tree killed.", cancellationToken);
        }

        return new ProcessOutcome
        {
            ExitCode = process.HasExited ? process.ExitCode : -1,
            StandardOutput = output.Text(),
            StandardError = error.Text(),
            TimedOut = timedOut,
            OutputTruncated = output.Truncated || error.Truncated,
            Duration = duration,
        };
    }

    private static async Task WriteInputAsync(Stream stdin, string? text, CancellationToken cancellationToken)
    {
        try
        {
            if (text is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                await stdin.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child closed its input (or exited) before reading it all.
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed while the child was not reading.
        }
        catch (ObjectDisposedException)
        {
            // Closed under us.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Broken pipe while flushing: nothing left to deliver.
            }
        }
    }
}
