using System.Globalization;
using System.Text.RegularExpressions;

namespace Rebooking.Notifications;

/// <summary>
/// <c>Twilio:PricePerSegment</c>: a decimal with a point and an ISO 4217 currency code, e.g. <c>0.0832 EUR</c>
/// (what Twilio bills per outbound segment to German mobiles; check the account's price list).
/// </summary>
public sealed partial record SmsPrice(decimal PerSegment, string Currency)
{
    /// <summary>Null for an empty setting; throws at start for one that cannot be read, so a typo never shows a wrong price.</summary>
    /// <exception cref="InvalidOperationException">The setting is not "decimal currency".</exception>
    public static SmsPrice? Parse(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting)) return null;
        var match = Format().Match(setting.Trim());
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price))
            throw new InvalidOperationException($"Twilio:PricePerSegment must be a decimal and a currency code, e.g. '0.0832 EUR'; got '{setting}'.");
        return new SmsPrice(price, match.Groups[2].Value.ToUpperInvariant());
    }

    public EstimatedCost For(int segments) => new(decimal.Round(segments * PerSegment, 2, MidpointRounding.AwayFromZero), Currency, PerSegment);

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]{3})$")]
    private static partial Regex Format();
}
