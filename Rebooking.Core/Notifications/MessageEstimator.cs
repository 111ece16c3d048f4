using Microsoft.Extensions.Options;
using Rebooking.Rebookings;
using Rebooking.Tenants;

namespace Rebooking.Notifications;

/// <summary>
/// Counts what a declaration will send with the rules that send it: the channel each citizen gets
/// (<see cref="ChannelRule.For"/> over the configured <see cref="NotificationChannels"/>) and the SMS text itself (<see cref="MessageComposer.Sms"/>, in
/// the booking's language, with a link as long as a real one), measured by <see cref="SmsSegments"/>. A language
/// the composer learns is counted as soon as it is there.
/// </summary>
public sealed class MessageEstimator(NotificationChannels channels, IOptions<RebookingOptions> links, TwilioOptions twilio)
{
    readonly SmsPrice? price = SmsPrice.Parse(twilio.PricePerSegment);

    /// <summary>A link of a real link's length: the token is always 24 base64url characters, all GSM-7.</summary>
    readonly string sampleLink = RebookingLinks.Url(links.Value, new string('A', 24));

    /// <param name="translations">The declaration's <c>publicMessages</c>: a citizen whose language has one gets it, as the
    /// dispatcher does; everyone else the German <paramref name="publicMessage"/>.</param>
    internal MessageEstimate Estimate(TenantMasterData tenant, string? publicMessage, IReadOnlyDictionary<string, string>? translations,
        IEnumerable<PreviewRecipients> groups)
    {
        int sms = 0, email = 0, voice = 0;
        var byLanguage = new SortedDictionary<string, (int Sms, int Segments)>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            switch (ChannelRule.For(g.PhoneKind, g.HasEmail, channels.Available))
            {
                case ContactChannel.Sms:
                    sms += g.Count;
                    var facts = new MessageFacts(NotificationKind.Cancellation, g.Language, tenant.Tenant.Name, tenant.Tenant.Zone,
                        tenant.Tenant.ContactPhone, tenant.OfficeName(g.OfficeId), null, "", g.Start, g.End,
                        (translations?.GetValueOrDefault(g.Language) ?? publicMessage)?.Trim(), "", sampleLink, "");
                    var segments = SmsSegments.Measure(MessageComposer.Sms("", facts).Text).Segments * g.Count;
                    var (n, s) = byLanguage.GetValueOrDefault(g.Language);
                    byLanguage[g.Language] = (n + g.Count, s + segments);
                    break;
                case ContactChannel.Email:
                    email += g.Count;
                    break;
                default:
                    // No message reaches them; with a phone, someone calls (the voice feature, or the hotline).
                    if (g.PhoneKind is not null) voice += g.Count;
                    break;
            }
        }
        var total = byLanguage.Values.Sum(v => v.Segments);
        return new MessageEstimate(sms, email, voice, total, price?.For(total),
            byLanguage.Select(l => new LanguageSegments(l.Key, l.Value.Sms, l.Value.Segments)).ToList());
    }
}
