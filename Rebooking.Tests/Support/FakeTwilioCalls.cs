using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Rebooking.Tests.Support;

/// <summary>A citizen on the phone as a script: who picks up and which keys they press ("" = lets the menu pass).</summary>
public sealed record Citizen(string? AnsweredBy, string[] Keys, string? NoAnswerStatus = null)
{
    public static Citizen Presses(params string[] keys) => new("human", keys);
    public static Citizen Silent() => new("human", ["", "", ""]);
    public static Citizen Machine() => new("machine_end_beep", []);
    public static Citizen Busy() => new(null, [], "busy");
}

/// <summary>One call created at the fake: what the dialer asked for.</summary>
public sealed record FakeCall(string Sid, string To, string From, string Url, string StatusCallback, string? MachineDetection);

/// <summary>
/// Twilio's Calls API: <c>POST …/Calls.json</c> is checked and recorded, and <see cref="PlayAsync"/> then plays the call
/// against the app the way Twilio does: a signed POST for the instructions (<c>CallSid</c>, <c>CallStatus=in-progress</c>,
/// <c>AnsweredBy</c>), the <c>Gather</c> actions with signed <c>Digits</c>, and the final status.
/// </summary>
public sealed partial class FakeTwilio
{
    int callSequence;

    /// <summary>Calls that exist at "Twilio", in creation order.</summary>
    public ConcurrentQueue<FakeCall> Calls { get; } = new();

    async Task<IResult> CreateCallAsync(HttpContext http, string account)
    {
        Check(account == AccountSid, $"account {account} in the path");
        Check(http.Request.Headers.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), "Basic auth");
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        Check(form.TryGetValue("To", out var to) && E164().IsMatch(to), "call To in E.164");
        Check(form.TryGetValue("From", out var from) && E164().IsMatch(from), "call From is a number (E.164), not an alphanumeric sender");
        Check(form.TryGetValue("Url", out var url) && Uri.TryCreate(url, UriKind.Absolute, out _), "call Url is absolute");
        Check(form.TryGetValue("StatusCallback", out var callback) && Uri.TryCreate(callback, UriKind.Absolute, out _), "call StatusCallback is absolute");
        form.TryGetValue("MachineDetection", out var amd);
        var sid = "CA" + Interlocked.Increment(ref callSequence).ToString("x32");
        Calls.Enqueue(new FakeCall(sid, to ?? "", from ?? "", url ?? "", callback ?? "", amd));
        return Results.Json(new Dictionary<string, object?>
        {
            ["sid"] = sid, ["status"] = "queued", ["to"] = to, ["from"] = from, ["account_sid"] = AccountSid,
            ["date_created"] = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture),
        }, statusCode: 201);
    }

    /// <summary>
    /// Plays <paramref name="call"/> with <paramref name="citizen"/> against the app behind <paramref name="app"/> (its public
    /// URLs are mapped onto the client's base address). Returns every TwiML document the app answered, in order.
    /// </summary>
    public async Task<List<XElement>> PlayAsync(HttpClient app, FakeCall call, Citizen citizen)
    {
        var heard = new List<XElement>();
        if (citizen.NoAnswerStatus is { } status)
        {
            await PostSignedAsync(app, call.StatusCallback, Base(call, status));
            return heard;
        }
        var first = Base(call, "in-progress");
        first.Add(new("AnsweredBy", citizen.AnsweredBy ?? "human"));
        var twiml = await TwimlAsync(app, call.Url, first);
        heard.Add(twiml);
        foreach (var key in citizen.Keys)
        {
            var gather = twiml.Element("Gather");
            if (gather is null) break;
            var form = Base(call, "in-progress");
            form.Add(new("Digits", key));
            twiml = await TwimlAsync(app, gather.Attribute("action")!.Value, form);
            heard.Add(twiml);
        }
        var end = Base(call, "completed");
        end.Add(new("CallDuration", "42"));
        await PostSignedAsync(app, call.StatusCallback, end);
        return heard;
    }

    async Task<XElement> TwimlAsync(HttpClient app, string url, List<KeyValuePair<string, string>> form)
    {
        var response = await PostSignedAsync(app, url, form);
        Check(response.IsSuccessStatusCode, $"TwiML request answered {(int)response.StatusCode}");
        Check(response.Content.Headers.ContentType?.MediaType is "application/xml" or "text/xml", "TwiML served as XML");
        return XElement.Parse(await response.Content.ReadAsStringAsync());
    }

    static List<KeyValuePair<string, string>> Base(FakeCall call, string status) =>
    [
        new("AccountSid", AccountSid), new("ApiVersion", "2010-04-01"), new("CallSid", call.Sid), new("CallStatus", status),
        new("Direction", "outbound-api"), new("From", call.From), new("To", call.To),
    ];

    /// <summary>POSTs <paramref name="form"/> to the path of <paramref name="publicUrl"/>, signed for that public URL (or with <paramref name="signature"/>).</summary>
    public static Task<HttpResponseMessage> PostSignedAsync(HttpClient app, string publicUrl, IEnumerable<KeyValuePair<string, string>> form, string? signature = null)
    {
        var fields = form.ToList();
        var uri = new Uri(publicUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, uri.PathAndQuery) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? Sign(publicUrl, fields));
        return app.SendAsync(request);
    }

    /// <summary>Twilio's signature, computed as Twilio documents it: HMAC-SHA1 over the URL and the sorted parameters.</summary>
    public static string Sign(string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AuthToken), Encoding.UTF8.GetBytes(data)));
    }
}
