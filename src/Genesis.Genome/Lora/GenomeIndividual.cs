using Genesis.Adapters;
using Genesis.Scoring;

namespace Genesis.Lora;

/// <summary>
/// A member of the population: its adapter, validation fitness and report, and (GENOME+ only) a velocity and a
/// personal-best memory that is a copy of the position, never the position itself (GENOME's aliasing defect).
/// </summary>
internal sealed class GenomeIndividual(long id, LoraAdapter adapter)
{
    public long Id { get; } = id;

    public LoraAdapter Adapter { get; } = adapter;

    /// <summary>The generation in which <see cref="Adapter"/>'s values were last set and evaluated; names its files.</summary>
    public int Version { get; set; }

    public double Fitness { get; set; } = double.NegativeInfinity;

    public FitnessReport? Report { get; set; }

    /// <summary>The velocity, or empty when the run has no succession step.</summary>
    public float[] Velocity { get; private set; } = [];

    /// <summary>The best position this member has had, or empty when the run has no succession step.</summary>
    public float[] PersonalBest { get; private set; } = [];

    public double PersonalBestFitness { get; set; } = double.NegativeInfinity;

    public bool HasSwarmState => Velocity.Length > 0;

    /// <summary>Starts the swarm state: v₀ = x_random − x and an empty personal best.</summary>
    public void InitSwarm(ReadOnlySpan<float> random)
    {
        var x = Adapter.Values;
        Velocity = new float[x.Length];
        PersonalBest = x.ToArray();
        for (var i = 0; i < Velocity.Length; i++)
        {
            Velocity[i] = random[i] - x[i];
        }
    }

    /// <summary>Restores the swarm state from a checkpoint.</summary>
    public void RestoreSwarm(float[] velocity, float[] personalBest, double personalBestFitness)
    {
        Velocity = velocity;
        PersonalBest = personalBest;
        PersonalBestFitness = personalBestFitness;
    }

    /// <summary>Records an evaluation and, with swarm state, remembers the position when it is the best so far.</summary>
    public void Evaluated(FitnessReport report, int generation)
    {
        Report = report;
        Fitness = report.Value;
        Version = generation;
        if (HasSwarmState && Fitness > PersonalBestFitness)
        {
            PersonalBestFitness = Fitness;
            Adapter.Values.CopyTo(PersonalBest);
        }
    }
}
