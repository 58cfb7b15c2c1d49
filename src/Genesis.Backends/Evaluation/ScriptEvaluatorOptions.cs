namespace Genesis.Execution;

/// <summary>Options of the script evaluators (<see cref="ShinkaScriptEvaluator"/>, <see cref="OpenEvolveScriptEvaluator"/>). Copied when an evaluator is created.</summary>
public sealed class ScriptEvaluatorOptions
{
    /// <summary>The Python interpreter, a path or a name looked up on <c>PATH</c>. Default: <c>python3</c>.</summary>
    public string Python { get; set; } = "python3";

    /// <summary>
    /// Variables set for the evaluator process on top of the backend's environment (a <see langword="null"/> value
    /// removes one). A <c>PYTHONPATH</c> given here comes after the evaluator script's own folder. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; set; } = new Dictionary<string, string?>();

    /// <summary>The most bytes of standard output and of standard error kept each, between 0 and 1 GiB. Default: 1 MiB.</summary>
    public int MaxOutputBytes { get; set; } = 1 << 20;

    /// <summary>The clock that measures <see cref="EvaluationResult.Duration"/>. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is unusable, naming the option.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Python))
        {
            throw new ArgumentException("ScriptEvaluatorOptions.Python must name a Python interpreter.", nameof(Python));
        }

        if (Environment is null)
        {
            throw new ArgumentNullException(nameof(Environment), "ScriptEvaluatorOptions.Environment must not be null.");
        }

        if (MaxOutputBytes is < 0 or > 1 << 30)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxOutputBytes),
                MaxOutputBytes,
                $"ScriptEvaluatorOptions.MaxOutputBytes must be between 0 and {1 << 30}, was {MaxOutputBytes}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "ScriptEvaluatorOptions.TimeProvider must not be null.");
        }
    }

    internal ScriptEvaluatorOptions Clone() => new()
    {
        Python = Python,
        Environment = new Dictionary<string, string?>(Environment),
        MaxOutputBytes = MaxOutputBytes,
        TimeProvider = TimeProvider,
    };
}
