namespace Genesis.Execution;

/// <summary>Options of a <see cref="LocalProcessBackend"/>. The backend copies them when it is created.</summary>
public sealed class LocalBackendOptions
{
    /// <summary>The largest allowed <see cref="MaxParallelism"/>.</summary>
    public const int MaxParallelismLimit = 1024;

    /// <summary>The shortest allowed <see cref="OutputDrainTimeout"/>.</summary>
    public static readonly TimeSpan MinOutputDrainTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest allowed <see cref="OutputDrainTimeout"/>.</summary>
    public static readonly TimeSpan MaxOutputDrainTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many processes run at once; further requests wait their turn. Between 1 and 1024.
    /// Default: <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The names of the host's environment variables a child inherits, or <see langword="null"/> (the default) for the
    /// host's whole environment minus secrets: every variable whose name contains <c>KEY</c>, <c>TOKEN</c>,
    /// <c>SECRET</c>, <c>PASSWORD</c> or <c>CREDENTIAL</c> (in any case), and every <c>GENESIS_LLM_*</c> variable.
    /// An explicit list is taken as it is, secrets included. Names are matched case-sensitively except on Windows.
    /// </summary>
    public IReadOnlyList<string>? InheritedVariables { get; set; }

    /// <summary>
    /// How long to wait, after the process exits or is killed, for it to be reaped and for its output pipes to close
    /// (a grandchild that escaped the kill may hold them open); output still unread then is lost. Between 1 millisecond and
    /// 10 minutes. Default: 5 seconds.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The sandbox every process runs in, or <see langword="null"/> (the default) for <see cref="Sandboxes.Default"/>:
    /// the strongest sandbox this machine allows, with the default <see cref="SandboxPolicy"/>. The sandbox is on by
    /// default; set <see cref="Sandboxes.None"/> to run processes unconfined, or <see cref="Sandboxes.Detect"/> with a
    /// policy of your own. Inside a sandbox a process's environment is the sandbox's allow-list
    /// (<see cref="SandboxPolicy.AllowedVariables"/>) plus the request's variables; <see cref="InheritedVariables"/> then
    /// governs only the environment of the sandbox's launcher.
    /// </summary>
    public ISandbox? Sandbox { get; set; }

    /// <summary>The clock for timeouts and durations. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is out of range, naming the option and the allowed values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="InheritedVariables"/> holds an empty name.</exception>
    public void Validate()
    {
        if (MaxParallelism is < 1 or > MaxParallelismLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxParallelism),
                MaxParallelism,
                $"LocalBackendOptions.MaxParallelism must be between 1 and {MaxParallelismLimit}, was {MaxParallelism}.");
        }

        if (OutputDrainTimeout < MinOutputDrainTimeout || OutputDrainTimeout > MaxOutputDrainTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(OutputDrainTimeout),
                OutputDrainTimeout,
                $"LocalBackendOptions.OutputDrainTimeout must be between {MinOutputDrainTimeout} and {MaxOutputDrainTimeout}, was {OutputDrainTimeout}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "LocalBackendOptions.TimeProvider must not be null.");
        }

        if (InheritedVariables is not null)
        {
            foreach (var name in InheritedVariables)
            {
                if (string.IsNullOrEmpty(name))
                {
                    throw new ArgumentException("LocalBackendOptions.InheritedVariables must not hold a null or empty name.", nameof(InheritedVariables));
                }
            }
        }
    }

    /// <summary>Returns a copy, so later changes to this instance do not reach a backend built from it.</summary>
    internal LocalBackendOptions Clone() => new()
    {
        MaxParallelism = MaxParallelism,
        InheritedVariables = InheritedVariables?.ToArray(),
        OutputDrainTimeout = OutputDrainTimeout,
        TimeProvider = TimeProvider,
        Sandbox = Sandbox,
    };
}
