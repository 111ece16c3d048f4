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

/// <summary>One call created at the fake: what the dialer asked for, and when "Twilio" created it (<see cref="FakeTwilio.Now"/>).</summary>
public sealed record FakeCall(string Sid, string To, string From, string Url, string StatusCallback, string? MachineDetection, DateTimeOffset Created);

/// <summary>
/// Twilio's Calls API: <c>POST …/Calls.json</c> is checked and recorded, and <see cref="PlayAsync"/> then plays the call
/// against the app the way Twilio does: a signed POST for the instructions (<c>CallSid</c>, <c>CallStatus=in-progress</c>,
/// <c>AnsweredBy</c>), the <c>Gather</c> actions with signed <c>Digits</c>, and the final status. <c>GET …/Calls.json</c>
/// lists the calls as Twilio does (filtered by <c>To</c> and <c>From</c>, newest first, a <c>calls</c> page).
/// </summary>
public sealed partial class FakeTwilio
{
    int callSequence;

    /// <summary>Calls that exist at "Twilio" (that rang), in creation order.</summary>
    public ConcurrentQueue<FakeCall> Calls { get; } = new();

    /// <summary>Every create request for a call, in arrival order (including those that placed no call).</summary>
    public ConcurrentQueue<Dictionary<string, string>> CallRequests { get; } = new();

    /// <summary>Twilio's status of each call by CallSid: queued when created, then what <see cref="PlayAsync"/> or <see cref="SetCallStatus"/> says.</summary>
    public ConcurrentDictionary<string, string> CallStatuses { get; } = new();

    /// <summary>The query strings of the list requests for calls, in arrival order.</summary>
    public ConcurrentQueue<string> CallListRequests { get; } = new();

    /// <summary>
    /// Answer for a create request for a call; default: 201. A call is placed (rings) when the reply is 201 or
    /// <see cref="Reply.CreateAnyway"/>, before any <see cref="Reply.Stall"/>: a stall past the client's timeout is a
    /// create whose answer was lost.
    /// </summary>
    public Func<Dictionary<string, string>, Reply> CallScript { get; set; } = _ => Reply.Created();

    /// <summary>"Twilio's" clock for <c>date_created</c>; a test sets it to the app's fake clock.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Twilio's status of a call changes without a callback reaching the app (a callback that was lost).</summary>
    public void SetCallStatus(string sid, string status) => CallStatuses[sid] = status;

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
        CallRequests.Enqueue(form);
        var reply = CallScript(form);
        string? sid = null;
        var created = Now();
        if (reply.Status == 201 || reply.CreateAnyway)
        {
            sid = "CA" + Interlocked.Increment(ref callSequence).ToString("x32");
            CallStatuses[sid] = "queued";
            Calls.Enqueue(new FakeCall(sid, to ?? "", from ?? "", url ?? "", callback ?? "", amd, created));
        }
        if (reply.Stall > TimeSpan.Zero) await Task.Delay(reply.Stall);
        if (reply.Status == 201)
            return Results.Json(new Dictionary<string, object?>
            {
                ["sid"] = sid, ["status"] = "queued", ["to"] = to, ["from"] = from, ["account_sid"] = AccountSid, ["date_created"] = Rfc2822(created),
            }, statusCode: 201);
        if (reply.NotJson) return Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: reply.Status);
        return Results.Json(new { code = reply.Code, message = "scripted error", more_info = "https://www.twilio.com/docs/errors/" + reply.Code, status = reply.Status },
            statusCode: reply.Status);
    }

    /// <summary>
    /// <c>GET /2010-04-01/Accounts/{sid}/Calls.json?To=…&amp;From=…</c>: Twilio's v2010 page, the calls under <c>"calls"</c>,
    /// newest first, each with <c>sid</c>, <c>to</c>, <c>from</c>, <c>status</c> and <c>date_created</c> (RFC 2822).
    /// </summary>
    IResult CallsPage(HttpContext http, string account)
    {
        Check(account == AccountSid, $"account {account} in the path");
        Check(http.Request.Headers.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), "Basic auth");
        CallListRequests.Enqueue(http.Request.QueryString.ToString());
        var to = http.Request.Query["To"].ToString();
        var from = http.Request.Query["From"].ToString();
        Check(E164().IsMatch(to), "call list To in E.164");
        Check(E164().IsMatch(from), "call list From in E.164");
        var calls = Calls.Where(c => c.To == to && c.From == from).Reverse().Select(c => new Dictionary<string, object?>
        {
            ["sid"] = c.Sid, ["account_sid"] = AccountSid, ["to"] = c.To, ["from"] = c.From, ["status"] = CallStatuses[c.Sid],
            ["direction"] = "outbound-api", ["date_created"] = Rfc2822(c.Created), ["api_version"] = "2010-04-01",
        }).ToList();
        var uri = (http.Request.Path + http.Request.QueryString).ToString();
        return Results.Json(new Dictionary<string, object?>
        {
            ["calls"] = calls, ["uri"] = uri, ["first_page_uri"] = uri, ["next_page_uri"] = null,
            ["previous_page_uri"] = null, ["page"] = 0, ["page_size"] = 50, ["start"] = 0, ["end"] = Math.Max(0, calls.Count - 1),
        });
    }

    static string Rfc2822(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Plays <paramref name="call"/> with <paramref name="citizen"/> against the app behind <paramref name="app"/> (its public
    /// URLs are mapped onto the client's base address). Returns every TwiML document the app answered, in order.
    /// </summary>
    public async Task<List<XElement>> PlayAsync(HttpClient app, FakeCall call, Citizen citizen)
    {
        var heard = new List<XElement>();
        if (citizen.NoAnswerStatus is { } status)
        {
            CallStatuses[call.Sid] = status;
            await PostSignedAsync(app, call.StatusCallback, Base(call, status));
            return heard;
        }
        CallStatuses[call.Sid] = "in-progress";
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
        CallStatuses[call.Sid] = "completed";
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
