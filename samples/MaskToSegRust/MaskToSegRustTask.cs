using Genesis;

namespace MaskToSegRust;

/// <summary>
/// Label the 4-connected components of binary masks, in Rust. The candidate is a whole Rust program whose harness (outside
/// the EVOLVE-BLOCK) checks every labelling against a flood fill and times the candidate against it; it prints one JSON
/// metrics line. Score: 0 if any mask is wrong, else 1 + min(reference_time / candidate_time, 10).
/// </summary>
public sealed class MaskToSegRustTask : IEvolutionTask
{
    private static readonly string TaskFolder = Path.Combine(AppContext.BaseDirectory, "task");

    public string Name => "mask-to-seg-rust";

    public ProgramLanguage Language => ProgramLanguage.Rust;

    public string InitialProgram { get; } = File.ReadAllText(Path.Combine(TaskFolder, "initial.rs"));

    public string Description =>
        """
        Implement fn label(mask: &[u8], width: usize, height: usize) -> Vec<u32> in Rust (std only, no crates): the mask is
        row-major, 0 is background and anything else foreground. Return one label per pixel: 0 for background and 1..k for
        the k 4-connected components (any numbering of the components is accepted). The harness checks 35 masks (empty, full,
        checkerboard, single pixels, 1xN and Nx1, spirals, random masks up to 512x512 at densities 0.3-0.7) against its own
        flood fill. A single wrong mask gives score 0; otherwise the score is 1 + min(speed-up, 10), where the speed-up is
        the harness flood fill's time over the candidate's (the best of several runs each). Only edit the EVOLVE-BLOCK;
        do not call the harness's functions. A two-pass union-find or a run-based labelling is much faster than the start.
        """;

    public IEvaluator Evaluator { get; } = Evaluators.Program(Toolchains.Rust());

    /// <summary>The speed-up term is clamped at 10, so no correct program scores above 11.</summary>
    public double? MaxScore => 11.0;
}
