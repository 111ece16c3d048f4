using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rebooking.Tests.Support;

/// <summary>
/// Twilio's Messages API served over real HTTP on 127.0.0.1. It checks the wire format of every request
/// (path, Basic auth, form encoding, E.164, sender, body length, callback URL) and records violations in
/// <see cref="WireErrors"/>; <see cref="Script"/> decides each answer: created, 429, 500, a stall, an error code.
/// </summary>
public sealed partial class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "fake-auth-token-0123456789";
    public const string From = "Buergeramt";

    readonly WebApplication app;
    int sequence;

    FakeTwilio(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every create request, in arrival order (including refused and stalled ones).</summary>
    public ConcurrentQueue<Dictionary<string, string>> Requests { get; } = new();

    /// <summary>Messages that exist at "Twilio", by SID.</summary>
    public ConcurrentDictionary<string, (string To, string Body, DateTimeOffset Created)> Messages { get; } = new();

    public ConcurrentQueue<string> WireErrors { get; } = new();

    public int ListCalls;

    /// <summary>Answer for a create request; default: 201.</summary>
    public Func<Dictionary<string, string>, Reply> Script { get; set; } = _ => Reply.Created();

    public TimeSpan Latency { get; set; }

    /// <summary>Bodies sent to <paramref name="to"/>, in the order Twilio created them (SIDs are sequential).</summary>
    public IEnumerable<string> SentTo(string to) => Messages.OrderBy(m => m.Key, StringComparer.Ordinal).Where(m => m.Value.To == to).Select(m => m.Value.Body);

    public static async Task<FakeTwilio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{account}/Messages.json", fake.CreateAsync);
        app.MapGet("/2010-04-01/Accounts/{account}/Messages.json", fake.List);
        app.MapPost("/2010-04-01/Accounts/{account}/Calls.json", fake.CreateCallAsync);
        app.MapGet("/2010-04-01/Accounts/{account}/Calls.json", fake.CallsPage);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    public Dictionary<string, string?> Settings(string? callbackBase = null) => new()
    {
        ["Twilio:AccountSid"] = AccountSid, ["Twilio:AuthToken"] = AuthToken, ["Twilio:From"] = From,
        ["Twilio:BaseUrl"] = BaseUrl, ["Twilio:Timeout"] = "00:00:01", ["Twilio:RatePerSecond"] = "0",
        ["Rebooking:PublicBaseUrl"] = callbackBase ?? "https://termine.velbert.de",
    };

    async Task<IResult> CreateAsync(HttpContext http, string account)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        Check(account == AccountSid, $"account {account} in the path");
        Check(http.Request.Headers.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), "Basic auth");
        Check(http.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true, "form encoding");
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        Requests.Enqueue(form);
        Check(form.TryGetValue("To", out var to) && E164().IsMatch(to), "To in E.164");
        Check(form.ContainsKey("From") ^ form.ContainsKey("MessagingServiceSid"), "exactly one of From and MessagingServiceSid");
        Check(form.TryGetValue("Body", out var body) && body.Length is > 0 and <= 1600, "Body of 1 to 1600 characters");
        if (form.TryGetValue("StatusCallback", out var callback))
            Check(Uri.TryCreate(callback, UriKind.Absolute, out _), "StatusCallback is an absolute URL");

        var reply = Script(form);
        if (reply.Stall > TimeSpan.Zero) await Task.Delay(reply.Stall);
        string? sid = null;
        if (reply.Status == 201 || reply.CreateAnyway)
        {
            sid = "SM" + Interlocked.Increment(ref sequence).ToString("x32");
            Messages[sid] = (to!, body!, DateTimeOffset.UtcNow);
        }
        if (reply.Status == 201)
            return Results.Json(new Dictionary<string, object?>
            {
                ["sid"] = sid, ["status"] = "queued", ["to"] = to, ["from"] = From, ["body"] = body, ["num_segments"] = "1",
                ["date_created"] = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture),
            }, statusCode: 201);
        if (reply.NotJson) return Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: reply.Status);
        if (reply.RetryAfter is { } retry) http.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Results.Json(new { code = reply.Code, message = "scripted error", more_info = "https://www.twilio.com/docs/errors/" + reply.Code, status = reply.Status },
            statusCode: reply.Status);
    }

    IResult List(HttpContext http, string account)
    {
        Interlocked.Increment(ref ListCalls);
        var to = http.Request.Query["To"].ToString();
        Check(http.Request.Query.ContainsKey("DateSent>"), "DateSent> filter on the list");
        var messages = Messages.Where(m => m.Value.To == to).Select(m => new Dictionary<string, object?>
        {
            ["sid"] = m.Key, ["to"] = m.Value.To, ["body"] = m.Value.Body, ["status"] = "sent",
            ["date_created"] = m.Value.Created.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture),
        }).ToList();
        // Twilio's v2010 page: the SDK reads "messages", "uri", "page_size" and "next_page_uri" (null: no more pages).
        var uri = http.Request.Path + http.Request.QueryString;
        return Results.Json(new Dictionary<string, object?>
        {
            ["messages"] = messages, ["uri"] = uri.ToString(), ["first_page_uri"] = uri.ToString(), ["next_page_uri"] = null,
            ["previous_page_uri"] = null, ["page"] = 0, ["page_size"] = 50, ["start"] = 0, ["end"] = Math.Max(0, messages.Count - 1),
        });
    }

    void Check(bool ok, string what)
    {
        if (!ok) WireErrors.Enqueue(what);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();

    public sealed record Reply(int Status, int? Code = null, TimeSpan? RetryAfter = null, bool CreateAnyway = false, TimeSpan Stall = default, bool NotJson = false)
    {
        /// <summary>A proxy's HTML error page: the SDK cannot read it and reports code 0, status 0.</summary>
        public static Reply GatewayErrorPage(bool createdAnyway) => new(502, CreateAnyway: createdAnyway, NotJson: true);
        public static Reply Created() => new(201);
        public static Reply TooManyRequests(int retryAfterSeconds) => new(429, 20429, TimeSpan.FromSeconds(retryAfterSeconds));
        public static Reply ServerError(bool createdAnyway) => new(500, 20500, CreateAnyway: createdAnyway);
        public static Reply Error(int code) => new(400, code);
        public static Reply StallThenCreate(TimeSpan stall) => new(201, Stall: stall);
        /// <summary>Holds the answer for <paramref name="stall"/> and creates nothing (for a call: nothing rings).</summary>
        public static Reply StallWithoutCreating(TimeSpan stall) => new(504, 20500, Stall: stall);
    }
}

/// <summary>A real SMTP listener (Debian's python3-aiosmtpd) on loopback that keeps each message as a file.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    System.Diagnostics.Process process;
    readonly string directory;

    SmtpSink(System.Diagnostics.Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Dictionary<string, string?> Settings => new()
    {
        ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = Port.ToString(), ["Smtp:From"] = "termine@velbert.de", ["Smtp:StartTls"] = "false",
        ["Smtp:RatePerSecond"] = "0",
    };

    public static async Task<SmtpSink> StartAsync()
    {
        // aiosmtpd's Mailbox lays out a Maildir (tmp, new, cur) only in a folder that does not exist yet.
        var directory = Path.Combine(Directory.CreateTempSubdirectory("rebooking-smtp-").FullName, "maildir");
        var port = AppProcess.FreePort();
        return new SmtpSink(await ListenAsync(port, directory), directory, port);
    }

    /// <summary>The listener comes back on the same port, keeping what it received (after <see cref="Stop"/>: a relay that was away).</summary>
    public async Task RestartAsync()
    {
        Stop();
        process.Dispose();
        process = await ListenAsync(Port, directory);
    }

    static async Task<System.Diagnostics.Process> ListenAsync(int port, string directory)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", directory])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        var process = System.Diagnostics.Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail("aiosmtpd did not start (apt-get install python3-aiosmtpd; ./test.sh does): " + await process.StandardError.ReadToEndAsync());
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return process;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Fail("aiosmtpd did not listen within 15 s");
        return null!;
    }

    /// <summary>The raw messages received so far.</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.Exists(Path.Combine(directory, "new"))
            ? Directory.GetFiles(Path.Combine(directory, "new")).Select(File.ReadAllText).ToList()
            : [];

    public void Stop()
    {
        if (!process.HasExited) process.Kill(true);
        process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        process.Dispose();
        try { Directory.Delete(Path.GetDirectoryName(directory)!, true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
