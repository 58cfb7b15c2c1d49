using System.Collections;

namespace Genesis.Execution;

/// <summary>Builds the environment a child process sees: the host's minus secrets (or an allow-list), then overrides.</summary>
internal static class ChildEnvironment
{
    private static readonly string[] SecretMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL"];

    /// <summary>Variables every child gets unless a request overrides them: unbuffered Python output, no <c>.pyc</c> files.</summary>
    internal static readonly KeyValuePair<string, string>[] Defaults =
    [
        new("PYTHONUNBUFFERED", "1"),
        new("PYTHONDONTWRITEBYTECODE", "1"),
    ];

    /// <summary>Whether a variable name looks like it holds a secret and is withheld from children by default.</summary>
    public static bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("GENESIS_LLM_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var marker in SecretMarkers)
        {
            if (name.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fills <paramref name="target"/> (which is cleared first) with the child's environment.</summary>
    /// <param name="target">The start info's environment.</param>
    /// <param name="host">The host's environment.</param>
    /// <param name="inherited">An explicit allow-list of host variables, or <see langword="null"/> for the host minus secrets.</param>
    /// <param name="overrides">The request's variables; a <see langword="null"/> value removes one.</param>
    public static void Fill(
        IDictionary<string, string?> target,
        IDictionary host,
        IReadOnlyList<string>? inherited,
        IReadOnlyDictionary<string, string?> overrides)
    {
        target.Clear();
        var allowed = inherited is null
            ? null
            : new HashSet<string>(inherited, OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (DictionaryEntry entry in host)
        {
            if (entry.Key is string name && (allowed is null ? !IsSecret(name) : allowed.Contains(name)))
            {
                target[name] = entry.Value as string;
            }
        }

        foreach (var (name, value) in Defaults)
        {
            target[name] = value;
        }

        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = value;
            }
        }
    }
}
