namespace Genesis;

/// <summary>What one island did in a run.</summary>
/// <param name="Island">The island's index.</param>
/// <param name="Evaluations">Candidates born and evaluated on it.</param>
/// <param name="Population">Programs it holds, migrants included.</param>
/// <param name="CorrectPrograms">Correct programs it holds.</param>
/// <param name="BestScore">Its best correct score, or negative infinity.</param>
/// <param name="BestCandidateId">The id of its best correct program, if any.</param>
/// <param name="ArchiveOccupancy">The fraction of its MAP-Elites cells filled (0 to 1).</param>
public sealed record IslandStatistics(int Island, int Evaluations, int Population, int CorrectPrograms, double BestScore, long? BestCandidateId, double ArchiveOccupancy);
