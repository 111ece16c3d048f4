using System.Security.Cryptography;
using System.Text;

namespace Rebooking.Integration;

/// <summary>
/// Standard Webhooks signing: <c>v1,</c> + base64 of HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// keyed with the base64-decoded part of a <c>whsec_</c> secret. Written here rather than taken from the
/// StandardWebhooks package, whose verifier needs ASP.NET Core types this library does not reference; the
/// tests check every signature against that package's verifier.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>webhook-signature</c> header value for one message.</summary>
    /// <exception cref="FormatException">The secret is not <c>whsec_</c> followed by base64.</exception>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) throw new FormatException("A webhook secret starts with whsec_.");
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{id}.{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
