namespace Genesis.Execution;

/// <summary>No sandbox: requests run as they are, with the host's permissions.</summary>
internal sealed class NoSandbox : ISandbox
{
    /// <summary>The sandbox turned off on purpose (<see cref="Sandboxes.None"/>).</summary>
    public static readonly NoSandbox Off = new("the sandbox is turned off (Sandboxes.None)");

    private NoSandbox(string reason) => Report = new SandboxReport
    {
        Mechanism = "none",
        Missing = [$"every protection: {reason}; processes run with the host's network, files and permissions"],
    };

    /// <inheritdoc />
    public SandboxReport Report { get; }

    /// <summary>No sandbox because none can work on this machine, for <paramref name="reason"/>.</summary>
    public static NoSandbox Unavailable(string reason) => new($"no sandbox works on this machine: {reason}");

    /// <inheritdoc />
    public ProcessRequest Wrap(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }
}
