using System.Text.RegularExpressions;

namespace Rebooking.Api.Http;

/// <summary>
/// Where link tokens travel in URLs: the path segment after <c>r</c> (the citizens' page, <c>/r/{token}</c>) or
/// <c>rebook</c> (the citizen API, <c>/api/rebook/{token}</c>). A new route that carries a token in its path must
/// sit under one of these segments: a test checks every mapped route with a <c>{token}</c> parameter against
/// <see cref="Redact"/>.
/// </summary>
public static partial class TokenPaths
{
    public const string Placeholder = "[token]";

    /// <summary>
    /// The path with every token segment replaced by <see cref="Placeholder"/>, or null when it holds none. Matches
    /// case-insensitively and after repeated slashes, as routing and browsers do, so a variant cannot slip through.
    /// </summary>
    public static string? Redact(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        var redacted = TokenSegment().Replace(path, m => m.Groups["prefix"].Value + Placeholder);
        return ReferenceEquals(redacted, path) || redacted == path ? null : redacted;
    }

    [GeneratedRegex(@"(?<prefix>(?:^|/)(?:r|rebook)/+)(?!\[token\](?:/|$|\?))[^/?#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenSegment();
}
