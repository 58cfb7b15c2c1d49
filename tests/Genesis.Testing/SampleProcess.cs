using System.Diagnostics;

namespace Genesis.Testing;

/// <summary>Runs a sample's build output in a child process, for tests that kill it or read its command-line output.</summary>
public static class SampleProcess
{
    /// <summary>
    /// The path of <c>samples/&lt;name&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c>, built by the solution build in
    /// the configuration of the calling test assembly.
    /// </summary>
    /// <param name="name">The sample's project name.</param>
    /// <exception cref="FileNotFoundException">The sample is not built.</exception>
    public static string Assembly(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Genesis.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new FileNotFoundException($"Genesis.Sdk.sln was not found above {AppContext.BaseDirectory}.");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(directory.FullName, "samples", name, "bin", configuration, "net10.0", name + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution (dotnet build Genesis.Sdk.sln) before the tests.", path);
    }

    /// <summary>Starts <c>dotnet &lt;arguments&gt;</c> with redirected output and without the LLM environment variables.</summary>
    /// <param name="arguments">The arguments, the sample's assembly first.</param>
    public static Process Start(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A developer's LLM settings must not change what a test's sample does.
        info.Environment.Remove("GENESIS_LLM_ENDPOINT");
        info.Environment.Remove("GENESIS_LLM_MODEL");
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
    }

    /// <summary>Runs <c>dotnet &lt;arguments&gt;</c> to the end.</summary>
    /// <param name="arguments">The arguments, the sample's assembly first.</param>
    /// <param name="cancellationToken">Kills the process.</param>
    /// <returns>The exit code and the standard output followed by the standard error.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output.ConfigureAwait(false) + await error.ConfigureAwait(false));
    }
}
