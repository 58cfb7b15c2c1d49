using System.ComponentModel;
using System.Diagnostics;

namespace Genesis.Execution;

/// <summary>How one Slurm command ended: its exit code and output, or why it could not run.</summary>
/// <param name="ExitCode">The exit code; -1 when the command did not start or was killed.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error, or why the command did not run or finish.</param>
internal readonly record struct CliResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The error text in one line, or the output when the command printed no error.</summary>
    public string Message
    {
        get
        {
            var text = (Error.Trim().Length > 0 ? Error : Output).Trim();
            return text.Length == 0 ? $"exit code {ExitCode}" : string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }
}

/// <summary>Runs Slurm's commands (<c>sbatch</c>, <c>squeue</c>, <c>scancel</c>, <c>sinfo</c>, <c>scontrol</c>, <c>sacct</c>).</summary>
internal sealed class SlurmCli
{
    private readonly string? _binDirectory;
    private readonly TimeSpan _timeout;
    private readonly IReadOnlyList<string>? _inherited;
    private readonly TimeProvider _time;

    public SlurmCli(string? binDirectory, TimeSpan timeout, IReadOnlyList<string>? inherited, TimeProvider time)
    {
        _binDirectory = binDirectory;
        _timeout = timeout;
        _inherited = inherited;
        _time = time;
    }

    /// <summary>Where the commands are looked up, for messages: the configured folder, or PATH.</summary>
    public string Where => _binDirectory is null ? "on PATH" : $"in {_binDirectory}";

    /// <summary>The full path of <paramref name="command"/>, or <see langword="null"/> when it is not installed.</summary>
    public string? Locate(string command)
    {
        if (_binDirectory is not null)
        {
            var candidate = Path.Combine(_binDirectory, command);
            return ProgramLocator.Resolve(candidate, Directory.GetCurrentDirectory(), null, out _);
        }

        return ProgramLocator.Resolve(command, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable("PATH"), out _);
    }

    /// <summary>
    /// The environment jobs start from: the host's (minus secrets, or the allow-list) plus the child defaults, without
    /// any request's variables. <c>sbatch --export=ALL</c> hands it to the job.
    /// </summary>
    public Dictionary<string, string?> JobEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        ChildEnvironment.Fill(environment, Environment.GetEnvironmentVariables(), _inherited, new Dictionary<string, string?>());
        return environment;
    }

    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="arguments"/> and the job environment; never throws except
    /// for <paramref name="cancellationToken"/>. A command that takes longer than the command timeout is killed.
    /// </summary>
    public async Task<CliResult> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var program = Locate(command);
        if (program is null)
        {
            return new CliResult(-1, string.Empty, $"{command} was not found {Where}");
        }

        var startInfo = new ProcessStartInfo
        {
            FileName = program,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in JobEnvironment())
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new CliResult(-1, string.Empty, $"{command} could not start: {e.Message}");
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(output, error).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new CliResult(-1, await output.ConfigureAwait(false), $"{command} did not finish within {_timeout.TotalSeconds:0.###} s and was killed");
        }

        return new CliResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exited while being killed.
        }
    }
}
