namespace Genesis;

/// <summary>
/// Implemented by evaluators and backends that depend on something outside the process (a compiler, a cluster): the
/// engine calls <see cref="CheckAsync"/> once before a run starts, so that a missing tool is one clear error
/// ("rustc was not found on PATH: install Rust or choose another language") instead of a failure per candidate.
/// </summary>
public interface IPreflightCheck
{
    /// <summary>Checks that everything needed is present; throws an exception that says what is missing and what to do.</summary>
    ValueTask CheckAsync(CancellationToken cancellationToken = default);
}
