namespace Genesis;

/// <summary>Which protections a sandbox applies on this machine, and which it could not, with the reason.</summary>
public sealed record SandboxReport
{
    /// <summary>The mechanism in use, for example <c>bubblewrap 0.8.0 + prlimit</c>, or <c>none</c>.</summary>
    public required string Mechanism { get; init; }

    /// <summary>The protections in force, one line each (for example "no network: a new network namespace").</summary>
    public IReadOnlyList<string> InForce { get; init; } = [];

    /// <summary>The protections not in force, one line each with the reason.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Mechanism}: {string.Join("; ", InForce)}{(Missing.Count > 0 ? $" (not in force: {string.Join("; ", Missing)})" : string.Empty)}";
}
