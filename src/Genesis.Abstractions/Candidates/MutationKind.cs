namespace Genesis;

/// <summary>How a candidate was made from its parents.</summary>
public enum MutationKind
{
    /// <summary>The task's initial program.</summary>
    Initial,

    /// <summary>An LLM's SEARCH/REPLACE diff of the parent's blocks.</summary>
    Diff,

    /// <summary>An LLM's full rewrite of the parent's blocks.</summary>
    FullRewrite,

    /// <summary>An LLM's crossover of the parent with another program.</summary>
    Crossover,

    /// <summary>Offline: numeric constants inside the blocks perturbed at random.</summary>
    ConstantPerturbation,

    /// <summary>Offline: blocks (or lines of blocks) taken from two parents.</summary>
    BlockCrossover,
}
