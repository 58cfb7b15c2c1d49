using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Runs processes on this machine, at most <see cref="MaxParallelism"/> at once, each in a sandbox, with a wall-clock
/// limit that kills its whole process tree, capped output capture, and an environment without the host's secrets.
/// </summary>
/// <remarks>
/// <para>
/// On Linux each child is started with <c>posix_spawn</c> as the leader of a new session and process group (or, where
/// that is not available, through the <c>setsid</c> program); on a timeout or a cancellation the group is killed with
/// <c>SIGKILL</c> (reaching grandchildren, even orphaned ones), and then the tree under the child as a fallback. When the
/// child exits normally, members of its group still running (background processes it left behind) are killed too, so
/// that no candidate outlives its evaluation. On other systems the tree under the child is killed with
/// <see cref="Process.Kill(bool)"/>.
/// </para>
/// <para>
/// By default every process runs in a sandbox (<see cref="LocalBackendOptions.Sandbox"/>): the strongest this machine
/// allows (<see cref="Sandboxes.Default"/>), with no network, a read-only file system except the working folder, the
/// host's credentials hidden, an allow-listed environment and resource limits; <see cref="Sandbox"/>'s report says
/// which of these are in force. A limit that stops a process is named on its standard error, on a line starting with
/// <c>genesis-sandbox:</c>. The program is looked up on the host (a missing one is a start error) and run through the
/// sandbox's launcher.
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
    private readonly LocalBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly ISandbox _sandbox;

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
        _sandbox = _options.Sandbox ?? Sandboxes.Default;
    }

    /// <inheritdoc />
    public int MaxParallelism => _options.MaxParallelism;

    /// <summary>The sandbox every process runs in (<see cref="Sandboxes.None"/> when turned off); its report says which protections are in force.</summary>
    public ISandbox Sandbox => _sandbox;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The request is malformed; the message names the field.</exception>
    /// <exception cref="DirectoryNotFoundException">The request's working folder does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process tree was killed first.</exception>
    public async Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        ProcessRequestValidation.Validate(request);
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

    private async Task<ProcessOutcome> RunOneAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var workingDirectory = Path.GetFullPath(request.WorkingDirectory);
        var host = Environment.GetEnvironmentVariables();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        ChildEnvironment.Fill(environment, host, _options.InheritedVariables, request.Environment);

        // Neither posix_spawn nor the sandbox looks the program up in a way we could report as a start error: resolve it here.
        var program = Resolve(request.FileName, workingDirectory, environment, out var error);
        if (program is null)
        {
            return new ProcessOutcome { ExitCode = -1, StartError = error };
        }

        var run = request with { FileName = program, WorkingDirectory = workingDirectory };
        ProcessRequest? wrapped = null;
        if (_sandbox is not NoSandbox)
        {
            run = wrapped = _sandbox.Wrap(run);
            workingDirectory = Path.GetFullPath(run.WorkingDirectory);
            ChildEnvironment.Fill(environment, host, _options.InheritedVariables, run.Environment);
            var launcher = Resolve(run.FileName, workingDirectory, environment, out var launcherError);
            if (launcher is null)
            {
                await ReleaseAsync(wrapped).ConfigureAwait(false);
                return new ProcessOutcome { ExitCode = -1, StartError = $"the sandbox's launcher could not start: {launcherError}" };
            }

            run = run with { FileName = launcher };
        }

        var started = _time.GetTimestamp();
        ChildProcess child;
        try
        {
            child = ChildProcess.Start(run.FileName, run.Arguments, workingDirectory, environment);
        }
        catch (Win32Exception e)
        {
            await ReleaseAsync(wrapped).ConfigureAwait(false);
            return new ProcessOutcome
            {
                ExitCode = -1,
                StartError = $"program '{request.FileName}' could not start: {e.Message}",
                Duration = _time.GetElapsedTime(started),
            };
        }

        using (child)
        {
            var finished = false;
            try
            {
                var outcome = await SuperviseAsync(child, run, started, cancellationToken).ConfigureAwait(false);
                finished = true;
                return outcome;
            }
            finally
            {
                if (!finished)
                {
                    // Cancelled (already killed, killing again is harmless) or an unexpected failure: leave nothing running.
                    child.KillTree();
                }

                await ReleaseAsync(wrapped).ConfigureAwait(false);
            }
        }
    }

    private static string? Resolve(string fileName, string workingDirectory, Dictionary<string, string?> environment, out string? error)
    {
        environment.TryGetValue("PATH", out var childPath);
        return ProgramLocator.Resolve(fileName, workingDirectory, childPath ?? Environment.GetEnvironmentVariable("PATH"), out error);
    }

    private ValueTask ReleaseAsync(ProcessRequest? wrapped) =>
        wrapped is not null && _sandbox is IReleasingSandbox releasing ? releasing.ReleaseAsync(wrapped) : ValueTask.CompletedTask;

    private async Task<ProcessOutcome> SuperviseAsync(ChildProcess child, ProcessRequest request, long started, CancellationToken cancellationToken)
    {
        using var drain = new CancellationTokenSource();
        var stdout = CappedOutput.ReadAsync(child.StandardOutput, request.MaxOutputBytes, drain.Token);
        var stderr = CappedOutput.ReadAsync(child.StandardError, request.MaxOutputBytes, drain.Token);
        var stdin = WriteInputAsync(child.StandardInput, request.StandardInput, drain.Token);

        var timedOut = false;
        var cancelled = false;
        using (var timeout = new CancellationTokenSource(request.Timeout, _time))
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            try
            {
                await child.WaitForExitAsync(limit.Token).ConfigureAwait(false);
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
            child.KillTree();
        }
        else if (child.LeadsGroup)
        {
            // The child is gone; whatever it left running in its group goes too.
            ProcessTree.KillGroup(child.Id);
        }

        using var deadline = new CancellationTokenSource(_options.OutputDrainTimeout, _time);
        using var onDeadline = deadline.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), drain);
        try
        {
            await child.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
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
            ExitCode = child.HasExited ? child.ExitCode : -1,
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
