namespace Genesis;

/// <summary>What <see cref="ITensorCompute.DropBernoulli"/> dropped, with the L1 norms a rescale needs.</summary>
/// <param name="Dropped">How many elements were set to zero.</param>
/// <param name="SourceMagnitude">The L1 norm of the source, <c>Σ|x|</c>.</param>
/// <param name="KeptMagnitude">The L1 norm of the result, <c>Σ|x̃|</c>.</param>
public readonly record struct BernoulliDropResult(int Dropped, double SourceMagnitude, double KeptMagnitude);
