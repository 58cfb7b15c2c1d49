namespace Genesis;

/// <summary>Creates evolution builders preconfigured from a DI container; register it with <c>services.AddGenesis()</c>.</summary>
public interface IEvolutionFactory
{
    /// <summary>Starts configuring a run of <typeparamref name="TTask"/>.</summary>
    EvolutionBuilder For<TTask>()
        where TTask : IEvolutionTask, new();

    /// <summary>Starts configuring a run of a task instance.</summary>
    EvolutionBuilder For(IEvolutionTask task);

    /// <summary>Starts configuring a run of an OpenEvolve or ShinkaEvolve task folder.</summary>
    EvolutionBuilder ForFolder(string path);
}
