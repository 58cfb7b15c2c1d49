namespace Genesis;

/// <summary>Chooses the parent of the next child from an island's programs.</summary>
public interface IParentSelector
{
    /// <summary>Returns one of <see cref="ParentSelectionContext.Candidates"/>.</summary>
    Candidate Select(ParentSelectionContext context);
}
