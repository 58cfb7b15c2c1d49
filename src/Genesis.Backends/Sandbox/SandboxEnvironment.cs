using System.Collections;

namespace Genesis.Execution;

/// <summary>Builds the exact environment of a sandboxed process: an allow-list of the host's variables, then fixed values, then the request's.</summary>
internal static class SandboxEnvironment
{
    /// <summary>The private scratch folder that <c>TMPDIR</c> names inside a sandbox with its own file system view.</summary>
    public const string ScratchFolder = "/tmp";

    /// <summary>
    /// The variables of a sandboxed process, sorted by name: the host's variables that <paramref name="allowed"/> lists
    /// and that do not look like secrets, the backend's defaults, <c>HOME</c> (the working folder), <c>TMPDIR</c> (when
    /// <paramref name="privateScratch"/>), <c>RUSTUP_HOME</c> (the host's <c>~/.rustup</c> when the host does not set
    /// it, so that rustup's proxies still find their toolchains with another <c>HOME</c>), then the request's variables.
    /// </summary>
    public static SortedDictionary<string, string> Build(
        IReadOnlyList<string> allowed,
        IDictionary host,
        string? hostHome,
        string workingDirectory,
        bool privateScratch,
        IReadOnlyDictionary<string, string?> overrides)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in host)
        {
            if (entry.Key is string name && entry.Value is string value && IsAllowed(name, allowed) && !ChildEnvironment.IsSecret(name))
            {
                result[name] = value;
            }
        }

        foreach (var (name, value) in ChildEnvironment.Defaults)
        {
            result[name] = value;
        }

        result["HOME"] = workingDirectory;
        if (privateScratch)
        {
            result["TMPDIR"] = ScratchFolder;
        }

        if (!result.ContainsKey("RUSTUP_HOME") && hostHome is not null && Directory.Exists(Path.Combine(hostHome, ".rustup")))
        {
            result["RUSTUP_HOME"] = Path.Combine(hostHome, ".rustup");
        }

        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="name"/> is on the allow-list (an entry ending in <c>*</c> matches any suffix).</summary>
    public static bool IsAllowed(string name, IReadOnlyList<string> allowed)
    {
        foreach (var pattern in allowed)
        {
            if (pattern.EndsWith('*')
                ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(name, pattern, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
