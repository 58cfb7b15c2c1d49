namespace Genesis.Adapters;

/// <summary>
/// Checks that adapters can be merged element-wise as one population: same base model, same target modules,
/// same module set, and the same rank and widths for every module, hence identical <see cref="LoraLayout"/>s.
/// </summary>
public static class LoraPopulation
{
    private const int MaxListed = 5;

    /// <summary>Throws when any adapter differs from the first.</summary>
    /// <param name="adapters">The population.</param>
    /// <exception cref="LoraAdapterMismatchException">The first adapter that differs, with how.</exception>
    public static void EnsureCompatible(IReadOnlyList<LoraAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        for (var i = 1; i < adapters.Count; i++)
        {
            if (FindMismatch(adapters[0], adapters[i]) is { } difference)
            {
                throw new LoraAdapterMismatchException(adapters[i].Name, i, adapters[0].Name, difference);
            }
        }
    }

    /// <summary>How <paramref name="candidate"/> differs from <paramref name="reference"/>, or null when they are compatible.</summary>
    public static string? FindMismatch(LoraAdapter reference, LoraAdapter candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var (first, other) = (reference.Config, candidate.Config);
        if (!string.Equals(first.BaseModelNameOrPath, other.BaseModelNameOrPath, StringComparison.Ordinal))
        {
            return $"base model {Quote(other.BaseModelNameOrPath)} instead of {Quote(first.BaseModelNameOrPath)}";
        }

        if (!Equals(first.TargetModules, other.TargetModules))
        {
            return $"target_modules {other.TargetModules?.ToString() ?? "(none)"} instead of {first.TargetModules?.ToString() ?? "(none)"}";
        }

        var missing = reference.Modules.Where(m => !candidate.Layout.TryGetModule(m.Path, out _)).Select(m => m.Path).ToList();
        var extra = candidate.Modules.Where(m => !reference.Layout.TryGetModule(m.Path, out _)).Select(m => m.Path).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"it lacks {List(missing)}");
            }

            if (extra.Count > 0)
            {
                parts.Add($"it has {List(extra)} that the first lacks");
            }

            return "a different module set: " + string.Join("; ", parts);
        }

        foreach (var module in reference.Modules)
        {
            var theirs = candidate.Layout[module.Path];
            if (theirs.Rank != module.Rank)
            {
                return $"module '{module.Path}' has rank {theirs.Rank} instead of {module.Rank}";
            }

            if (theirs.Shape != module.Shape)
            {
                return $"module '{module.Path}' has {theirs.Shape.Describe()} instead of {module.Shape.Describe()}";
            }
        }

        return null;
    }

    private static string Quote(string? value) => value is null ? "(none)" : $"'{value}'";

    private static string List(List<string> modules)
    {
        var shown = string.Join(", ", modules.Take(MaxListed).Select(m => $"'{m}'"));
        return modules.Count == 1
            ? $"module {shown}"
            : modules.Count <= MaxListed ? $"{modules.Count} modules: {shown}" : $"{modules.Count} modules: {shown}, ...";
    }
}
