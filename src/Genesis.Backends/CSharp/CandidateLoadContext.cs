using System.Reflection;
using System.Runtime.Loader;

namespace Genesis.Execution;

/// <summary>
/// A collectible load context holding one candidate's assembly. The framework and the host's assemblies resolve to the
/// host's own copies (so types such as <c>int[]</c> or the task's delegates are shared), and the user's extra references
/// resolve to the very assemblies the host loaded.
/// </summary>
internal sealed class CandidateLoadContext : AssemblyLoadContext
{
    private readonly IReadOnlyDictionary<string, Assembly> _shared;

    public CandidateLoadContext(string name, IReadOnlyDictionary<string, Assembly> shared)
        : base(name, isCollectible: true)
    {
        _shared = shared;
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name is { } name && _shared.TryGetValue(name, out var assembly) ? assembly : null;
}
