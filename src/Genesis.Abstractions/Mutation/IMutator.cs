namespace Genesis;

/// <summary>Makes a child program from a parent: an LLM, or one of the offline operators.</summary>
public interface IMutator
{
    /// <summary>The mutation kinds this mutator can make.</summary>
    IReadOnlyCollection<MutationKind> Kinds { get; }

    /// <summary>Proposes a child of <see cref="MutationContext.Parent"/>. A failed mutation is a proposal with an <see cref="MutationProposal.Error"/>, not an exception.</summary>
    /// <param name="context">The parent, inspirations and task.</param>
    /// <param name="cancellationToken">Stops the proposal.</param>
    ValueTask<MutationProposal> MutateAsync(MutationContext context, CancellationToken cancellationToken = default);
}
