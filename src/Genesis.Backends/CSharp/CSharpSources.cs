namespace Genesis.Execution;

/// <summary>Checks on the extra source files an options class compiles with every candidate.</summary>
internal static class CSharpSources
{
    /// <summary>Why the sources cannot be used (no name, no text, or the candidate's own file name), or <see langword="null"/>.</summary>
    /// <param name="sources">The sources by file name.</param>
    /// <param name="owner">The options class, for the message.</param>
    /// <param name="candidateFileName">The file name the candidate is compiled under.</param>
    public static string? Problem(IReadOnlyDictionary<string, string>? sources, string owner, string candidateFileName)
    {
        if (sources is null)
        {
            return $"{owner}.AdditionalSources must not be null.";
        }

        foreach (var (name, text) in sources)
        {
            if (string.IsNullOrWhiteSpace(name) || text is null)
            {
                return $"{owner}.AdditionalSources: every source needs a file name and a text.";
            }

            if (string.Equals(name, candidateFileName, StringComparison.OrdinalIgnoreCase))
            {
                return $"{owner}.AdditionalSources: '{name}' is the candidate's own file name; choose another.";
            }
        }

        return null;
    }
}
