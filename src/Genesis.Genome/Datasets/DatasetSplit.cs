namespace Genesis.Datasets;

/// <summary>The three parts of a <see cref="TaskDataset"/>.</summary>
public enum DatasetSplit
{
    /// <summary>Data for building or fine-tuning the experts; never used to rank a population.</summary>
    Train,

    /// <summary>The samples fitness is computed on (GENOME uses about 200); ranking, elites and ensemble members are chosen on it.</summary>
    Validation,

    /// <summary>Held out and used once, for the final report.</summary>
    Test,
}
