using System.Collections.ObjectModel;
using System.Text.RegularExpressions;

namespace Genesis.Adapters;

/// <summary>
/// PEFT's <c>target_modules</c>: either a list of module names, a module matching when its path equals a name or
/// ends with <c>"." + name</c>, or one regular expression that must match the whole path (Python's
/// <c>re.fullmatch</c>). The special string <c>"all-linear"</c> matches every module (PEFT expands it against the
/// model, leaving out the output layer, and saves the expanded list).
/// </summary>
public sealed class LoraTargetModules : IEquatable<LoraTargetModules>
{
    /// <summary>PEFT's shorthand for every linear layer except the output layer.</summary>
    public const string AllLinear = "all-linear";

    private readonly Regex? _regex;

    private LoraTargetModules(IReadOnlyList<string> names, string? pattern)
    {
        Names = names;
        Pattern = pattern;
        if (pattern is not null && pattern != AllLinear)
        {
            _regex = PeftRegex.FullMatch(pattern);
        }
    }

    /// <summary>The module names, in the order given (empty when this is a pattern).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The regular expression (or <see cref="AllLinear"/>), or null when this is a list of names.</summary>
    public string? Pattern { get; }

    /// <summary>A list of module names such as <c>q_proj</c> or a full path.</summary>
    /// <exception cref="ArgumentException">A name is null or empty.</exception>
    public static LoraTargetModules FromNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.ToList();
        if (list.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("FromNames: target module names must not be null or empty.", nameof(names));
        }

        return new LoraTargetModules(new ReadOnlyCollection<string>(list), null);
    }

    /// <summary>A regular expression over whole module paths, or <see cref="AllLinear"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static LoraTargetModules FromPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new LoraTargetModules(Array.Empty<string>(), pattern);
    }

    /// <summary>Whether PEFT would put a LoRA layer on the module with this path.</summary>
    public bool Matches(string modulePath)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        if (Pattern == AllLinear)
        {
            return true;
        }

        if (_regex is not null)
        {
            return _regex.IsMatch(modulePath);
        }

        foreach (var name in Names)
        {
            if (modulePath == name || (modulePath.Length > name.Length && modulePath.EndsWith(name, StringComparison.Ordinal) && modulePath[^(name.Length + 1)] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Equal when both are the same pattern, or both are lists with the same set of names (order and repeats ignored).</summary>
    public bool Equals(LoraTargetModules? other) =>
        other is not null && (Pattern is not null || other.Pattern is not null
            ? Pattern == other.Pattern
            : new HashSet<string>(Names, StringComparer.Ordinal).SetEquals(other.Names));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LoraTargetModules);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (Pattern is not null)
        {
            return StringComparer.Ordinal.GetHashCode(Pattern);
        }

        var hash = 0;
        foreach (var name in Names.Distinct(StringComparer.Ordinal))
        {
            hash ^= StringComparer.Ordinal.GetHashCode(name);
        }

        return hash;
    }

    /// <summary>The list as <c>[k_proj, q_proj]</c> (sorted) or the pattern in quotes.</summary>
    public override string ToString() =>
        Pattern is not null ? $"\"{Pattern}\"" : "[" + string.Join(", ", Names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + "]";
}
