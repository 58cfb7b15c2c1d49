using System.Diagnostics.CodeAnalysis;

namespace Genesis.Diffs;

/// <summary>The outcome of extracting or splicing a full rewrite: the program, or why there is none.</summary>
public sealed class FullRewriteResult
{
    private FullRewriteResult(string? code, string? reason)
    {
        Code = code;
        Reason = reason;
    }

    /// <summary>The program, or <see langword="null"/> on failure.</summary>
    public string? Code { get; }

    /// <summary>Why there is no program, written to be sent back to the model; <see langword="null"/> on success.</summary>
    public string? Reason { get; }

    /// <summary>Whether <see cref="Code"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Code))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Succeeded => Code is not null;

    internal static FullRewriteResult Success(string code) => new(code, null);

    internal static FullRewriteResult Failure(string reason) => new(null, reason);
}
