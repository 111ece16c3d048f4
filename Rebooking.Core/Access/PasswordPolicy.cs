using System.Reflection;

namespace Rebooking.Access;

/// <summary>
/// NIST SP 800-63B §5.1.1.2 for memorised secrets: at least 12 characters (we ask more than NIST's 8), up to
/// 256, any characters, no composition rules; refused when it is a common password (the list shipped in
/// <c>common-passwords.txt</c>, compared case-insensitively, also after stripping trailing digits and
/// punctuation, so "Passwort2024!" counts as "passwort"), one character repeated, or containing the account's
/// own e-mail address (or being its local part).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Rebooking.Access.common-passwords.txt")
            ?? throw new InvalidOperationException("The list of common passwords is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } word && !word.StartsWith('#')) set.Add(word);
        return set;
    });

    /// <summary>How many entries the shipped list has (for the start-up check and tests).</summary>
    public static int CommonCount => Common.Value.Count;

    /// <summary>Null when acceptable; otherwise why not: PasswordTooShort, PasswordTooLong, PasswordCommon or PasswordPersonal.</summary>
    public static string? Problem(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return "PasswordTooShort";
        if (password.Length > MaxLength) return "PasswordTooLong";
        var stem = password.TrimEnd("0123456789!?.,;:-_#*+ ".ToCharArray());
        if (Common.Value.Contains(password) || Common.Value.Contains(stem) || password.Distinct().Count() == 1) return "PasswordCommon";
        if (!string.IsNullOrWhiteSpace(email))
        {
            var address = email.Trim();
            var local = address.Split('@')[0];
            if (password.Contains(address, StringComparison.OrdinalIgnoreCase) || string.Equals(password.Trim(), local, StringComparison.OrdinalIgnoreCase))
                return "PasswordPersonal";
        }
        return null;
    }

    /// <summary>The English sentence for API and command-line callers; the console shows its own texts.</summary>
    public static string Describe(string problem) => problem switch
    {
        "PasswordTooShort" => $"The password must have at least {MinLength} characters.",
        "PasswordTooLong" => $"The password may have at most {MaxLength} characters.",
        "PasswordCommon" => "This password is too common; choose another (a few unrelated words make a good one).",
        _ => "The password must not contain the e-mail address.",
    };
}
