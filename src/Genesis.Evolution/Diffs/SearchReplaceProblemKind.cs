namespace Genesis.Diffs;

/// <summary>What is wrong with a malformed SEARCH/REPLACE block.</summary>
public enum SearchReplaceProblemKind
{
    /// <summary>The answer ends inside a block: it was most likely cut off by the output-token limit.</summary>
    Truncated,

    /// <summary>A SEARCH section is followed by another SEARCH or by REPLACE without a <c>=======</c> divider.</summary>
    MissingDivider,

    /// <summary>A block's replacement is followed by another SEARCH instead of <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c>.</summary>
    MissingReplace,

    /// <summary>A <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c> line appears outside any block.</summary>
    UnexpectedReplace,
}
