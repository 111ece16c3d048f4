using Twilio.Base;
using Twilio.Exceptions;

namespace Rebooking.Notifications;

/// <summary>
/// Reading Twilio's lists (messages, calls) to reconcile an attempt whose answer was lost: the first page only, and
/// the creation time in UTC.
/// </summary>
internal static class TwilioLists
{
    /// <summary>The first page of <paramref name="read"/>: the SDK loads later pages synchronously, so they are never asked for.</summary>
    /// <exception cref="HttpRequestException">Twilio could not be asked (<paramref name="failure"/>).</exception>
    public static async Task<List<T>> FirstPageAsync<T>(Func<Task<ResourceSet<T>>> read, string failure) where T : Resource
    {
        try
        {
            var page = await read();
            page.AutoPaging = false;
            return page.ToList();
        }
        catch (TwilioException e)
        {
            throw new HttpRequestException(failure, e);
        }
    }

    /// <summary><c>date_created</c> in UTC: the SDK hands it over as a DateTime of uncertain kind.</summary>
    public static DateTimeOffset? CreatedUtc(DateTime? created) => created switch
    {
        null => null,
        { Kind: DateTimeKind.Local } d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),
        { } d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
