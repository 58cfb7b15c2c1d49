namespace Genesis.Scoring;

/// <summary>Options of an <see cref="MbppScorer"/>. The scorer copies them when it is created.</summary>
public sealed class MbppScorerOptions
{
    /// <summary>The longest allowed <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// Where the processes run. Default: <see langword="null"/>, meaning <see cref="Backends.Local(int?)"/> (this machine, its
    /// default isolation), created once per scorer.
    /// </summary>
    public IExecutionBackend? Backend { get; set; }

    /// <summary>The Python interpreter, a path or a name looked up on <c>PATH</c>. Default: <c>python3</c>.</summary>
    public string Python { get; set; } = "python3";

    /// <summary>The wall-clock limit of one answer's whole test run; the process tree is killed when it passes. Default: 10 seconds (as GENOME).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Python run before the answer's code, in the same namespace. Default: imports of the standard modules MBPP solutions
    /// use without importing them (<c>math</c>, <c>re</c>, <c>heapq</c>, <c>collections</c>, <c>itertools</c>,
    /// <c>functools</c>, <c>string</c>, <c>sys</c>, <c>bisect</c>, <c>operator</c>), as GENOME and other MBPP harnesses do.
    /// Set to an empty string to run the answer exactly as written.
    /// </summary>
    public string Preamble { get; set; } =
        "import math\nimport re\nimport heapq\nimport collections\nimport itertools\nimport functools\nimport string\nimport sys\nimport bisect\nimport operator\n" +
        "from collections import *\nfrom itertools import *\nfrom functools import *\nfrom typing import *\n";

    /// <summary>
    /// The folder under which each run gets its own temporary working folder, deleted afterwards. Default:
    /// <see langword="null"/>, meaning <see cref="Path.GetTempPath"/>.
    /// </summary>
    public string? WorkingRoot { get; set; }

    /// <summary>The most bytes of standard output and of standard error kept each. Default: 64 KiB.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>Throws when an option is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and the allowed values.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Python))
        {
            throw new ArgumentException("MbppScorerOptions.Python must name an interpreter.", nameof(Python));
        }

        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"MbppScorerOptions.Timeout must be positive and at most {MaxTimeout}, was {Timeout}.");
        }

        if (Preamble is null)
        {
            throw new ArgumentNullException(nameof(Preamble), "MbppScorerOptions.Preamble must not be null; use an empty string for none.");
        }

        if (WorkingRoot is not null && !Directory.Exists(WorkingRoot))
        {
            throw new ArgumentException($"MbppScorerOptions.WorkingRoot does not exist: {WorkingRoot}", nameof(WorkingRoot));
        }

        if (MaxOutputBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOutputBytes), MaxOutputBytes, $"MbppScorerOptions.MaxOutputBytes must be at least 1024, was {MaxOutputBytes}.");
        }
    }

    /// <summary>A copy, so later changes to this instance do not reach a scorer built from it.</summary>
    internal MbppScorerOptions Clone() => new()
    {
        Backend = Backend,
        Python = Python,
        Timeout = Timeout,
        Preamble = Preamble,
        WorkingRoot = WorkingRoot,
        MaxOutputBytes = MaxOutputBytes,
    };
}
