using Genesis.Execution;

namespace Genesis;

/// <summary>Creates the built-in <see cref="IExecutionBackend"/>s.</summary>
public static partial class Backends
{
    /// <summary>
    /// A backend that runs processes on this machine, at most <paramref name="maxParallel"/> at once, with the
    /// defaults of <see cref="LocalBackendOptions"/> otherwise. Use <see cref="LocalProcessBackend(LocalBackendOptions)"/>
    /// for the other options.
    /// </summary>
    /// <param name="maxParallel">How many processes run at once, between 1 and 1024; <see langword="null"/> for <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallel"/> is out of range.</exception>
    public static LocalProcessBackend Local(int? maxParallel = null) =>
        new(new LocalBackendOptions { MaxParallelism = maxParallel ?? Environment.ProcessorCount });
}
