using System.Globalization;

namespace Genesis.Samples;

/// <summary>The command line every sample accepts: <c>--evaluations N</c>, <c>--out FOLDER</c>, <c>--seed S</c>.</summary>
public sealed record SampleOptions(int Evaluations, string OutputFolder, int Seed)
{
    /// <summary>Parses the arguments; unknown or malformed ones throw with the usage text.</summary>
    public static SampleOptions Parse(string[] args, int defaultEvaluations, string defaultOut)
    {
        ArgumentNullException.ThrowIfNull(args);
        var evaluations = defaultEvaluations;
        var output = defaultOut;
        var seed = 42;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw Usage($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--evaluations":
                    evaluations = ParsePositive(Value(), "--evaluations");
                    break;
                case "--out":
                    output = Value();
                    break;
                case "--seed":
                    seed = int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : throw Usage("--seed must be an integer");
                    break;
                default:
                    throw Usage($"unknown argument '{args[i]}'");
            }
        }

        return new SampleOptions(evaluations, output, seed);
    }

    private static int ParsePositive(string text, string name) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Usage($"{name} must be a positive integer, was '{text}'");

    private static ArgumentException Usage(string problem) =>
        new($"{problem}. Usage: [--evaluations N] [--out FOLDER] [--seed S]");
}
