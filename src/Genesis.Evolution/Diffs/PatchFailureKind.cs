namespace Genesis.Diffs;

/// <summary>Why an edit, or a whole patch, could not be applied.</summary>
public enum PatchFailureKind
{
    /// <summary>The SEARCH text matches no lines of the program.</summary>
    NotFound,

    /// <summary>The SEARCH text matches only lines outside the EVOLVE-BLOCKs, which are fixed.</summary>
    OutsideBlocks,

    /// <summary>SEARCH and REPLACE are the same (trailing whitespace and copied markers aside): the edit changes nothing.</summary>
    NoChange,

    /// <summary>The answer contained no edit at all.</summary>
    NoEdits,

    /// <summary>Every edit applied, but together they leave the program as it was.</summary>
    ProgramUnchanged,

    /// <summary>The patched program no longer has the original's EVOLVE-BLOCKs or fixed lines.</summary>
    FrameChanged,
}
