namespace Genesis.Merging;

/// <summary>Checks a <see cref="MergeInput"/> against its destination and resolves the weights of a profile.</summary>
internal static class MergeInputs
{
    /// <summary>Throws unless the parents, base and destination fit; returns the parent count.</summary>
    public static int Validate(string operatorName, MergeInput input, Memory<float> destination, int? exactParents = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parents = input.Parents ?? throw new ArgumentException($"{operatorName}: MergeInput.Parents must not be null.", nameof(input));
        if (parents.Count == 0)
        {
            throw new ArgumentException($"{operatorName}: MergeInput.Parents must hold at least one tensor, had 0.", nameof(input));
        }

        if (exactParents is { } exact && parents.Count != exact)
        {
            throw new ArgumentException($"{operatorName}: MergeInput.Parents must hold exactly {exact} tensors, had {parents.Count}.", nameof(input));
        }

        var length = parents[0].Length;
        for (var i = 1; i < parents.Count; i++)
        {
            if (parents[i].Length != length)
            {
                throw new ArgumentException(
                    $"{operatorName}: MergeInput.Parents[{i}] has {parents[i].Length} elements, expected {length} like Parents[0].", nameof(input));
            }
        }

        if (!input.Base.IsEmpty && input.Base.Length != length)
        {
            throw new ArgumentException($"{operatorName}: MergeInput.Base has {input.Base.Length} elements, expected {length} like the parents.", nameof(input));
        }

        if (destination.Length != length)
        {
            throw new ArgumentException($"{operatorName}: the destination has {destination.Length} elements, expected {length} like the parents.", nameof(destination));
        }

        var target = destination.Span;
        for (var i = 0; i < parents.Count; i++)
        {
            if (parents[i].Span.Overlaps(target))
            {
                throw new ArgumentException($"{operatorName}: the destination must not overlap MergeInput.Parents[{i}].", nameof(destination));
            }
        }

        if (input.Base.Span.Overlaps(target))
        {
            throw new ArgumentException($"{operatorName}: the destination must not overlap MergeInput.Base.", nameof(destination));
        }

        return parents.Count;
    }

    /// <summary>
    /// The parents' weights: as given (1 each when absent) under <see cref="MergeProfile.Mergekit"/>; normalised to sum to 1
    /// under <see cref="MergeProfile.GenomeCompatible"/>, which needs them non-negative with a positive sum.
    /// </summary>
    public static double[] Weights(string operatorName, MergeInput input, MergeProfile profile)
    {
        var count = input.Parents.Count;
        var weights = new double[count];
        if (input.Weights is null)
        {
            Array.Fill(weights, 1.0);
        }
        else
        {
            if (input.Weights.Count != count)
            {
                throw new ArgumentException(
                    $"{operatorName}: MergeInput.Weights must have one weight per parent ({count}), had {input.Weights.Count}.", nameof(input));
            }

            for (var i = 0; i < count; i++)
            {
                var weight = input.Weights[i];
                if (!double.IsFinite(weight))
                {
                    throw new ArgumentException($"{operatorName}: MergeInput.Weights[{i}] must be finite, was {weight}.", nameof(input));
                }

                weights[i] = weight;
            }
        }

        if (profile == MergeProfile.GenomeCompatible)
        {
            var sum = 0.0;
            for (var i = 0; i < count; i++)
            {
                if (weights[i] < 0)
                {
                    throw new ArgumentException(
                        $"{operatorName}: MergeInput.Weights[{i}] must be non-negative under MergeProfile.GenomeCompatible (weights are normalised to sum to 1), was {weights[i]}.",
                        nameof(input));
                }

                sum += weights[i];
            }

            if (!(sum > 0))
            {
                throw new ArgumentException(
                    $"{operatorName}: MergeInput.Weights must have a positive sum under MergeProfile.GenomeCompatible, was {sum}.", nameof(input));
            }

            for (var i = 0; i < count; i++)
            {
                weights[i] /= sum;
            }
        }

        return weights;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    public static void CheckFinite(string option, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{option} must be a finite number, was {value}.", option);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is in (0, 1].</summary>
    public static void CheckDensity(string option, double? value)
    {
        if (value is { } density && !(density is > 0 and <= 1))
        {
            throw new ArgumentException($"{option} must be between 0 (exclusive) and 1 (inclusive), was {density}.", option);
        }
    }

    /// <summary>Throws unless the profile is defined.</summary>
    public static void CheckProfile(string option, MergeProfile profile)
    {
        if (!Enum.IsDefined(profile))
        {
            throw new ArgumentException($"{option} must be Mergekit or GenomeCompatible, was {profile}.", option);
        }
    }

    /// <summary>Throws unless the rescale is defined.</summary>
    public static void CheckRescale(string option, SparsificationRescale? rescale)
    {
        if (rescale is { } value && !Enum.IsDefined(value))
        {
            throw new ArgumentException($"{option} must be None, InverseDensity or L1, was {value}.", option);
        }
    }
}
