using System.Diagnostics;
using System.Text.Json;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Integration;

/// <summary>
/// The real receiver process (<c>webhook_receiver.py</c>): verifies each delivery's Standard Webhooks signature on
/// its own and logs what it got. It can be told to answer with another status, slowly, or with a redirect, and
/// be stopped and started again on the same port (a receiver that was away).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("rebooking-webhooks-").FullName;
    Process? process;

    WebhookReceiver(int port) => Port = port;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/rebooking";
    string SecretFile => Path.Combine(directory, "secret");
    string LogFile => Path.Combine(directory, "log.jsonl");

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver(AppProcess.FreePort());
        await receiver.ListenAsync();
        return receiver;
    }

    /// <summary>The receiver learns the webhook's secret the way an appointment system would: once, from the create answer.</summary>
    public void UseSecret(string secret) => File.WriteAllText(SecretFile, secret);

    public async Task ListenAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "webhook_receiver.py");
        process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, Port.ToString(), SecretFile, LogFile])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail("the webhook receiver did not start: " + await process.StandardError.ReadToEndAsync());
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Fail("the webhook receiver did not listen within 15 s");
    }

    /// <summary>
    /// From now on: answer <paramref name="status"/>, after <paramref name="delaySeconds"/>, with an optional Location;
    /// the changes of booking <paramref name="exceptRef"/> (when given) get <paramref name="exceptStatus"/> instead.
    /// </summary>
    public async Task AnswerAsync(int status, double delaySeconds = 0, string? location = null, string? exceptRef = null, int exceptStatus = 500)
    {
        using var http = new HttpClient();
        var query = $"status={status}&delay={delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            + (location is null ? "" : "&location=" + Uri.EscapeDataString(location))
            + (exceptRef is null ? "" : $"&exceptRef={Uri.EscapeDataString(exceptRef)}&exceptStatus={exceptStatus}");
        (await http.GetAsync($"http://127.0.0.1:{Port}/_control?{query}")).EnsureSuccessStatusCode();
    }

    /// <summary>Everything received so far, in arrival order.</summary>
    public IReadOnlyList<Received> Log() =>
        File.Exists(LogFile)
            ? File.ReadAllLines(LogFile).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Received>(l, Json)!).ToList()
            : [];

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Stop()
    {
        if (process is { HasExited: false }) process.Kill(true);
        process?.WaitForExit();
        process?.Dispose();
        process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try { Directory.Delete(directory, true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    /// <summary>One request as the receiver saw it; <see cref="Valid"/> says whether its signature verified.</summary>
    public sealed record Received(string Id, string Timestamp, bool Valid, int Status, string Path, string Body)
    {
        public JsonElement Change => JsonDocument.Parse(Body).RootElement;
    }
}
