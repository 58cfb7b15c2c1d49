using System.Net;

namespace Genesis.Serving;

/// <summary>A vLLM request failed for good: a client error, or a transient error after the last retry.</summary>
public sealed class VllmRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="adapterName">The adapter the request was about.</param>
    /// <param name="statusCode">The last HTTP status, or <see langword="null"/> when there was no response.</param>
    /// <param name="serverMessage">The server's error message, or <see langword="null"/>.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public VllmRequestException(string message, string adapterName, HttpStatusCode? statusCode, string? serverMessage, Exception? innerException = null)
        : base(message, innerException)
    {
        AdapterName = adapterName;
        StatusCode = statusCode;
        ServerMessage = serverMessage;
    }

    /// <summary>The adapter the request was about.</summary>
    public string AdapterName { get; }

    /// <summary>The last HTTP status, or <see langword="null"/> when there was no response.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's error message, or <see langword="null"/>.</summary>
    public string? ServerMessage { get; }
}
