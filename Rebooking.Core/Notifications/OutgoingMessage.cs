using System.Security.Cryptography;
using System.Text;

namespace Rebooking.Notifications;

/// <param name="Reference">Our notification's id: stable across attempts, so an email sent again after a crash carries the same Message-ID.</param>
public sealed record OutgoingMessage(string To, string Text, string? Subject = null, string? Html = null, CalendarFile? Calendar = null, string? Reference = null)
{
    /// <summary>SHA-256 of the text: how an attempt is recognised among the provider's messages.</summary>
    public byte[] BodyHash => SHA256.HashData(Encoding.UTF8.GetBytes(Text));
}
