using System.ComponentModel;
using System.Diagnostics;

namespace Genesis.Execution;

/// <summary>
/// A child process with its three standard streams redirected, as <see cref="LocalProcessBackend"/> supervises it. On
/// Linux it is started with <c>posix_spawn</c> as the leader of a new session and process group
/// (<see cref="SpawnedChild"/>); elsewhere, or where <c>posix_spawn</c> cannot be used, with
/// <see cref="Process"/>, through the <c>setsid</c> program when there is one (<see cref="DotnetChild"/>).
/// </summary>
internal abstract class ChildProcess : IDisposable
{
    /// <summary>The process id.</summary>
    public abstract int Id { get; }

    /// <summary>Whether the child leads its own process group (whose id is <see cref="Id"/>).</summary>
    public abstract bool LeadsGroup { get; }

    /// <summary>The write end of the child's standard input.</summary>
    public abstract Stream StandardInput { get; }

    /// <summary>The read end of the child's standard output.</summary>
    public abstract Stream StandardOutput { get; }

    /// <summary>The read end of the child's standard error.</summary>
    public abstract Stream StandardError { get; }

    /// <summary>Whether the child exited and was reaped.</summary>
    public abstract bool HasExited { get; }

    /// <summary>The exit code, or 128 plus the signal number that killed the child; valid once <see cref="HasExited"/>.</summary>
    public abstract int ExitCode { get; }

    /// <summary>
    /// Starts <paramref name="program"/> (a full path) with <paramref name="arguments"/> in
    /// <paramref name="workingDirectory"/> with exactly <paramref name="environment"/>.
    /// </summary>
    /// <exception cref="Win32Exception">The program could not be started; the message says why.</exception>
    public static ChildProcess Start(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment) =>
        SpawnedChild.IsSupported
            ? SpawnedChild.Start(program, arguments, workingDirectory, environment)
            : DotnetChild.Start(program, arguments, workingDirectory, environment);

    /// <summary>Completes when the child has exited and was reaped.</summary>
    public abstract Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Kills the child's process group (when it leads one) and then the tree of processes under it.</summary>
    public void KillTree()
    {
        if (LeadsGroup)
        {
            ProcessTree.KillGroup(Id);
        }

        KillDescendants();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Kills the child and every descendant that is still its descendant (an orphan is out of reach here).</summary>
    protected abstract void KillDescendants();

    /// <summary>Releases the streams and handles.</summary>
    protected abstract void Dispose(bool disposing);
}

/// <summary>A child started with <see cref="Process"/>, through <c>setsid</c> when the machine has it.</summary>
internal sealed class DotnetChild : ChildProcess
{
    private readonly Process _process;
    private readonly bool _leadsGroup;

    private DotnetChild(Process process, bool leadsGroup)
    {
        _process = process;
        _leadsGroup = leadsGroup;
    }

    /// <inheritdoc />
    public override int Id => _process.Id;

    /// <inheritdoc />
    public override bool LeadsGroup => _leadsGroup;

    /// <inheritdoc />
    public override Stream StandardInput => _process.StandardInput.BaseStream;

    /// <inheritdoc />
    public override Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <inheritdoc />
    public override Stream StandardError => _process.StandardError.BaseStream;

    /// <inheritdoc />
    public override bool HasExited => _process.HasExited;

    /// <inheritdoc />
    public override int ExitCode => _process.ExitCode;

    /// <summary>Starts the child; see <see cref="ChildProcess.Start"/>.</summary>
    public static new DotnetChild Start(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var setsid = ProcessTree.Setsid;
        if (setsid is not null)
        {
            startInfo.FileName = setsid;
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
        }
        else
        {
            startInfo.FileName = program;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return new DotnetChild(process, leadsGroup: setsid is not null);
    }

    /// <inheritdoc />
    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    protected override void KillDescendants()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited and reaped.
        }
        catch (Win32Exception)
        {
            // Exited while being killed, or not ours to kill any more.
        }
        catch (NotSupportedException)
        {
            // A platform without tree kill; the group kill did the work where it could.
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _process.Dispose();
        }
    }
}
