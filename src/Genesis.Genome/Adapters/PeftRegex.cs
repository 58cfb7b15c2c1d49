using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Genesis.Adapters;

/// <summary>
/// Regular expressions from adapter configs (<c>target_modules</c> strings, <c>rank_pattern</c> and
/// <c>alpha_pattern</c> keys), compiled once and matched in linear time: the non-backtracking engine where the
/// pattern allows it, otherwise the backtracking engine with a one-second match timeout, so a hostile config cannot
/// stall a load.
/// </summary>
internal static class PeftRegex
{
    private const int MaxCached = 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>PEFT's <c>re.fullmatch(pattern, path)</c>.</summary>
    public static Regex FullMatch(string pattern) => Get($"^(?:{pattern})\\z");

    /// <summary>PEFT's <c>re.match(rf"(.*\.)?({key})$", path)</c> for rank and alpha pattern keys.</summary>
    public static Regex PatternKey(string key) => Get($"^(.*\\.)?({key})$");

    private static Regex Get(string expression)
    {
        if (Cache.TryGetValue(expression, out var regex))
        {
            return regex;
        }

        try
        {
            regex = new Regex(expression, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            regex = new Regex(expression, RegexOptions.CultureInvariant, Timeout);
        }

        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(expression, regex);
    }
}
