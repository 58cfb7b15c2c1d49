using System.Globalization;

namespace Genesis.Selection;

/// <summary>Validates constructor options with one readable message that names the type, the option and the allowed range.</summary>
internal static class OptionChecks
{
    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>] (NaN never does).</summary>
    public static double InRange(double value, double min, double max, string owner, string parameter)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(
                parameter,
                value,
                string.Create(CultureInfo.InvariantCulture, $"{owner}: {parameter} must be between {min} and {max}, was {value}."));
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int InRange(int value, int min, int max, string owner, string parameter)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                parameter,
                value,
                string.Create(CultureInfo.InvariantCulture, $"{owner}: {parameter} must be between {min} and {max}, was {value}."));
        }

        return value;
    }
}
