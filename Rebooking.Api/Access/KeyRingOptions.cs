namespace Rebooking.Api.Access;

/// <summary>
/// <c>DataProtection:*</c>: the key ring behind session cookies and antiforgery tokens, shared by every Api
/// host through the database. Validated at start.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 file (.pfx/.p12) whose certificate encrypts the keys at rest; unset = keys stored unencrypted (warned at start).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Instead of a file: the thumbprint of a certificate with private key in the CurrentUser or LocalMachine "My" store.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>How long a key is used for new cookies before the framework rolls to the next one (at least 7 days).</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How often a host looks for keys another host added (one small query). A key forced on one host is read by
    /// the others after at most this long; keys the framework rolls itself are stored two days ahead anyway.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The errors of these settings, by setting name; empty when valid.</summary>
    public IEnumerable<string> Errors()
    {
        if (!string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(CertificateThumbprint))
            yield return "DataProtection: set CertificatePath or CertificateThumbprint, not both.";
        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
            yield return $"DataProtection:CertificatePath: no file at '{CertificatePath}'.";
        if (KeyLifetime < TimeSpan.FromDays(7))
            yield return "DataProtection:KeyLifetime must be at least 7 days.";
        if (RefreshInterval < TimeSpan.FromSeconds(1) || RefreshInterval > TimeSpan.FromHours(1))
            yield return "DataProtection:RefreshInterval must be between 00:00:01 and 01:00:00.";
    }
}
