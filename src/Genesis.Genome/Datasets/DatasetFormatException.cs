namespace Genesis.Datasets;

/// <summary>
/// A dataset file holds a record that cannot be read. The message names the file, the line (1-based) and the problem,
/// for example <c>gsm8k/train.jsonl line 12: missing field 'answer' (GSM8K records need question, answer)</c>.
/// </summary>
public sealed class DatasetFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DatasetFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a record of a file.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="lineNumber">The line, 1-based; 0 when the problem is not on one line.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public DatasetFormatException(string filePath, int lineNumber, string problem, Exception? innerException = null)
        : base(lineNumber > 0 ? $"{filePath} line {lineNumber}: {problem}" : $"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file, or <see langword="null"/> when the exception was created without one.</summary>
    public string? FilePath { get; }

    /// <summary>The line, 1-based; 0 when unknown or not tied to a line.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string? Problem { get; }
}
