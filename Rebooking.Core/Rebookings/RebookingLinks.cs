using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Rebooking.Rebookings;

/// <summary>
/// Personal links: 144 random bits, base64url (24 characters). Only the SHA-256 is stored, so a copy of the
/// database opens no citizen's page. A token is made when its message is composed, right before sending;
/// the raw token exists only in memory and in the message.
/// </summary>
public static class RebookingLinks
{
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    public static string Url(RebookingOptions options, string token) => $"{options.PublicBaseUrl.TrimEnd('/')}/r/{token}";
}
