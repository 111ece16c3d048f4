using System.Security.Cryptography;
using System.Text;

namespace Rebooking.Access;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a 16-byte salt and 600,000 iterations (OWASP Password Storage Cheat Sheet, 2023).
/// The iteration count is stored with each hash, so raising it later leaves old hashes verifiable.
/// </summary>
public static class PasswordHash
{
    public const int Iterations = 600_000;
    const string Scheme = "pbkdf2-sha256";

    public static string Create(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Constant-time comparison; false for anything that is not a hash this class wrote.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A password for generated accounts: 18 random bytes, base64url (24 characters).</summary>
    public static string NewPassword() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    /// <summary>Spent on unknown e-mail addresses, so the answer takes as long as for a real account.</summary>
    internal static readonly string Decoy = Create("decoy-password-never-matches");
}
