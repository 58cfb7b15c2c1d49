using Genesis.Execution;

namespace Genesis;

/// <summary>Factories of local backends with an explicit sandbox, or none.</summary>
public static partial class Backends
{
    /// <summary>
    /// A backend that runs processes on this machine in <paramref name="sandbox"/>, at most <paramref name="maxParallel"/>
    /// at once.
    /// </summary>
    /// <param name="sandbox">The sandbox every process runs in, for example <see cref="Sandboxes.Detect"/> with a policy of your own.</param>
    /// <param name="maxParallel">How many processes run at once, between 1 and 1024; <see langword="null"/> for <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallel"/> is out of range.</exception>
    public static LocalProcessBackend Sandboxed(ISandbox sandbox, int? maxParallel = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        return new(new LocalBackendOptions { MaxParallelism = maxParallel ?? Environment.ProcessorCount, Sandbox = sandbox });
    }

    /// <summary>
    /// A backend that runs processes on this machine in the strongest sandbox it allows (<see cref="Sandboxes.Detect"/>)
    /// under <paramref name="policy"/>, at most <paramref name="maxParallel"/> at once.
    /// </summary>
    /// <param name="policy">What the sandbox allows: network, paths, environment, resource limits.</param>
    /// <param name="maxParallel">How many processes run at once, between 1 and 1024; <see langword="null"/> for <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException">An option of <paramref name="policy"/> or <paramref name="maxParallel"/> is out of range; the message names it.</exception>
    public static LocalProcessBackend Sandboxed(SandboxPolicy policy, int? maxParallel = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Sandboxed(Sandboxes.Detect(policy), maxParallel);
    }

    /// <summary>
    /// A backend that runs processes on this machine without a sandbox (<see cref="Sandboxes.None"/>): with the host's
    /// network, files and permissions, and its environment minus secrets. For trusted code only; the local backend is
    /// sandboxed by default.
    /// </summary>
    /// <param name="maxParallel">How many processes run at once, between 1 and 1024; <see langword="null"/> for <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallel"/> is out of range.</exception>
    public static LocalProcessBackend Unsandboxed(int? maxParallel = null) => Sandboxed(Sandboxes.None, maxParallel);
}
