namespace Genesis;

/// <summary>A toolchain's tool is not installed. The message says which tool and what to do, for example
/// "rustc was not found on PATH: install Rust or choose another language".</summary>
public sealed class ToolchainNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ToolchainNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ToolchainNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ToolchainNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
