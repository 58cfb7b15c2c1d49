namespace Genesis;

/// <summary>Where a candidate is in its life.</summary>
public enum CandidateStatus
{
    /// <summary>Proposed and stored, waiting for evaluation (re-queued on resume).</summary>
    Pending,

    /// <summary>Evaluated; see <see cref="Candidate.Evaluation"/> for the outcome.</summary>
    Evaluated,

    /// <summary>The mutation produced no usable program (the diff did not apply, the answer was empty or truncated, an edit fell outside the blocks). Never evaluated.</summary>
    MutationFailed,

    /// <summary>Rejected by the novelty filter as too similar to a program already evaluated. Never evaluated.</summary>
    Duplicate,
}
