namespace Genesis.Datasets;

/// <summary>A record is malformed; the loader adds the file and line and rethrows a <see cref="DatasetFormatException"/>.</summary>
internal sealed class RecordException : Exception
{
    public RecordException()
    {
    }

    public RecordException(string message)
        : base(message)
    {
    }

    public RecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
