namespace Genesis.Llm;

/// <summary>Checks and displays LLM endpoints without leaking credentials that a URI may carry.</summary>
internal static class LlmUris
{
    /// <summary>Whether <paramref name="uri"/> is an absolute http or https URI.</summary>
    public static bool IsHttpEndpoint(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The URI without user info, query or fragment, safe for messages and logs.</summary>
    public static string Display(Uri? uri) =>
        uri switch
        {
            null => "(null)",
            { IsAbsoluteUri: true } => uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
            _ => uri.OriginalString,
        };

    /// <summary><paramref name="uri"/> without user info, query or fragment.</summary>
    public static Uri Redacted(Uri uri) => new(Display(uri), UriKind.Absolute);
}
