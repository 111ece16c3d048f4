namespace Rebooking.Api.Http;

/// <summary>
/// The one check for a return URL (sign-in, the language switch, and any future <c>returnUrl</c>): only a path in
/// the console, so nobody can be sent to another site, and nothing a header cannot carry, so bad input never
/// causes a 500.
/// </summary>
public static class LocalUrl
{
    public const string Home = "/staff";
    const int MaxLength = 2048;

    /// <summary><paramref name="url"/> when <see cref="IsConsolePath"/> accepts it, otherwise <see cref="Home"/>.</summary>
    public static string OrHome(string? url) => IsConsolePath(url) ? url! : Home;

    /// <summary>
    /// True for <c>/staff</c> and paths under it. Refused: control characters, whitespace (a tab or line break
    /// after the first slash makes browsers read <c>/\t/evil.example</c> as <c>//evil.example</c>), backslashes,
    /// scheme-relative and absolute forms, bidirectional and other invisible formatting characters, and the same
    /// characters percent-encoded (a proxy or browser may decode them once).
    /// </summary>
    public static bool IsConsolePath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength) return false;
        if (!HasOnlySafeCharacters(url)) return false;
        var decoded = Uri.UnescapeDataString(url);
        if (!HasOnlySafeCharacters(decoded) || decoded.StartsWith("//", StringComparison.Ordinal)) return false;
        return url == Home || url.StartsWith(Home + "/", StringComparison.Ordinal) || url.StartsWith(Home + "?", StringComparison.Ordinal);
    }

    static bool HasOnlySafeCharacters(string value)
    {
        foreach (var c in value)
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
                return false;
        return true;
    }
}
