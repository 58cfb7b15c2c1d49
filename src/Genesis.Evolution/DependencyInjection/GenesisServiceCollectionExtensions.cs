using Genesis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Genesis code evolution with a service collection.</summary>
public static class GenesisServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEvolutionFactory"/>, which creates <see cref="EvolutionBuilder"/>s preconfigured from the
    /// container: every registered <see cref="IChatClient"/> joins the model ensemble, an <see cref="IExecutionBackend"/>
    /// becomes the backend, an <see cref="ILoggerFactory"/> receives the logs, and a <see cref="TimeProvider"/> the clock.
    /// <paramref name="configure"/> runs on every builder after that.
    /// </summary>
    public static IServiceCollection AddGenesis(this IServiceCollection services, Action<EvolutionBuilder, IServiceProvider>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IEvolutionFactory>(provider => new EvolutionFactory(provider, configure));
        return services;
    }

    private sealed class EvolutionFactory(IServiceProvider provider, Action<EvolutionBuilder, IServiceProvider>? configure) : IEvolutionFactory
    {
        public EvolutionBuilder For<TTask>()
            where TTask : IEvolutionTask, new() => Configure(Evolution.For<TTask>());

        public EvolutionBuilder For(IEvolutionTask task) => Configure(Evolution.For(task));

        public EvolutionBuilder ForFolder(string path) => Configure(Evolution.ForFolder(path));

        private EvolutionBuilder Configure(EvolutionBuilder builder)
        {
            foreach (var client in provider.GetServices<IChatClient>())
            {
                builder.WithLlm(client);
            }

            if (provider.GetService<IExecutionBackend>() is { } backend)
            {
                builder.WithBackend(backend);
            }

            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                builder.WithLogging(loggerFactory);
            }

            if (provider.GetService<TimeProvider>() is { } timeProvider)
            {
                builder.WithTimeProvider(timeProvider);
            }

            configure?.Invoke(builder, provider);
            return builder;
        }
    }
}
