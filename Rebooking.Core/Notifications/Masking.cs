namespace Rebooking.Notifications;

/// <summary>Forms of personal data that may appear in logs and operator views.</summary>
public static class Masking
{
    /// <summary><c>+491712345678</c> → <c>+4917*****78</c>.</summary>
    public static string Phone(string? e164) =>
        e164 is null ? "" : e164.Length <= 6 ? "***" : e164[..5] + new string('*', e164.Length - 7) + e164[^2..];

    /// <summary><c>erika.mustermann@example.org</c> → <c>e***@example.org</c>.</summary>
    public static string Email(string? email)
    {
        if (email is null) return "";
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : email[0] + "***" + email[at..];
    }
}
