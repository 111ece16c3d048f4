using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.HostFarm;

namespace Rebooking.Tests.Operations;

/// <summary>A real Api host stopped with SIGTERM while citizens use it, and a probe that plays the load balancer.</summary>
public sealed class DrainTests
{
    const int Citizens = 4;

    [Test]
    public async Task SigtermUnderLoad_ReadyTurns503First_LiveStays200_AndEveryRequestInFlightIsAnswered()
    {
        await using var farm = await HostFarm.StartAsync(apis: 1, workers: 1, new Dictionary<string, string?>
        {
            ["Drain__Delay"] = "00:00:02",
            ["Drain__GraceTime"] = "00:00:20",
            ["Rebooking__RequestsPerMinutePerClient"] = "0",
        });
        var tokens = await CitizensWithLinksAsync(farm);
        var url = farm.Urls[0];
        var api = farm.Apis[0];
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var slotId = JsonDocument.Parse(await http.GetStringAsync($"/api/rebook/{tokens[0]}")).RootElement.GetProperty("offers")[0].GetProperty("slotId").GetString()!;

        // The balancer: probes ready and live every 50 ms until the process is gone; on the first 503 it sends no new requests.
        var probes = new ConcurrentQueue<(TimeSpan At, string Path, string Answer)>();
        var clock = Stopwatch.StartNew();
        var removed = new TaskCompletionSource();
        var balancer = Task.Run(async () =>
        {
            using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
            while (!api.HasExited)
            {
                foreach (var path in new[] { "/health/ready", "/health/live" })
                {
                    string answer;
                    try
                    {
                        using var response = await probe.GetAsync(path);
                        answer = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (path == "/health/ready" && response.StatusCode == HttpStatusCode.ServiceUnavailable) removed.TrySetResult();
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { answer = "no connection"; }
                    probes.Enqueue((clock.Elapsed, path, answer));
                }
                await Task.Delay(50);
            }
        });

        // Citizens: page views and bookings over kept-alive connections, until the balancer takes the host out.
        var answers = new ConcurrentQueue<string>();
        var load = Enumerable.Range(0, Citizens).Select(i => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            for (var round = 0; round < 10_000 && !removed.Task.IsCompleted; round++)
            {
                try
                {
                    using var response = round % 2 == 0
                        ? await client.GetAsync($"/r/{tokens[i]}")
                        : await client.PostAsJsonAsync($"/api/rebook/{tokens[i]}", new { slotId });
                    await response.Content.ReadAsByteArrayAsync();
                    answers.Enqueue(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers.Enqueue("failed: " + e.Message);
                }
            }
        })).ToArray();
        await Task.Delay(2000);

        // A citizen in the middle of booking: the body arrives slowly, across the signal and the closing of the listener.
        using var slowClient = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var slow = slowClient.PostAsync($"/api/rebook/{tokens[Citizens]}", new SlowJson($"{{\"slotId\":\"{slotId}\"}}", TimeSpan.FromSeconds(3.5)));
        await Task.Delay(300);
        var signalled = clock.Elapsed;
        var exitCode = await api.TerminateAsync(TimeSpan.FromSeconds(40));
        var exited = clock.Elapsed;
        await Task.WhenAll(load);
        await balancer;

        Assert.That(exitCode, Is.EqualTo(0), api.Output);
        using var slowAnswer = await slow;
        Assert.That(slowAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the booking in flight was answered: " + await slowAnswer.Content.ReadAsStringAsync() + "\n" + api.Output);
        Assert.That(slowAnswer.Headers.ConnectionClose, Is.True, "while draining, answers close their connection");
        Assert.That(answers.Where(a => a.StartsWith("failed", StringComparison.Ordinal)), Is.Empty, "no request in flight failed");
        Assert.That(answers.Distinct(), Is.SubsetOf(new[] { "200", "409" }), string.Join(", ", answers.Distinct()));
        Assert.That(answers, Has.Count.GreaterThanOrEqualTo(2 * Citizens), "every citizen viewed and booked at least once (the count depends on the machine's load)");

        var ready = probes.Where(p => p.Path == "/health/ready").ToList();
        var live = probes.Where(p => p.Path == "/health/live").ToList();
        var firstUnready = ready.First(p => p.Answer != "200");
        Assert.That(firstUnready.Answer, Is.EqualTo("503"), "ready answered 503 before the host stopped answering");
        Assert.That(firstUnready.At, Is.GreaterThan(signalled).And.LessThan(exited));
        Assert.That(ready.Where(p => p.At < signalled).Select(p => p.Answer), Is.All.EqualTo("200"));
        Assert.That(live.Select(p => p.Answer), Is.All.EqualTo("200").Or.EqualTo("no connection"), "live never says anything but 200");
        Assert.That(live.Any(p => p.Answer == "200" && p.At > firstUnready.At), Is.True, "live stays 200 while ready is 503");
        Assert.That(api.Output, Does.Contain("Stopping: draining"));
        TestContext.Out.WriteLine($"{answers.Count} citizen requests; SIGTERM at {signalled}, ready 503 at {firstUnready.At}, exit at {exited}");
    }

    /// <summary>A tenant, bookings with mobiles, an outage, and the personal tokens the worker sent (one per citizen, plus one).</summary>
    static async Task<List<string>> CitizensWithLinksAsync(HostFarm farm)
    {
        var day = BerlinDay(3, TimeSpan.Zero);
        await farm.AdminAsync(0, HttpMethod.Put, "/api/tenants/velbert", RebookingApp.TenantBody());
        await farm.AdminAsync(0, HttpMethod.Post, "/api/tenants/velbert/bookings/import", Enumerable.Range(0, Citizens + 1).Select(i =>
            Scenario.Booking($"DR-{i:00}", "mitte", "personalausweis", Iso(day.AddHours(9).AddMinutes(15 * i)), phone: $"0171 55502{i:00}")).ToArray());
        var slot = BerlinDay(4, TimeSpan.FromHours(10));
        await farm.AdminAsync(0, HttpMethod.Post, "/api/tenants/velbert/slots/import",
            new[] { new { officeId = "mitte", serviceId = (string?)null, start = Iso(slot), end = Iso(slot.AddMinutes(15)), capacity = 100 } });
        await farm.AdminAsync(0, HttpMethod.Post, "/api/tenants/velbert/outages", new
        {
            start = Iso(day.AddHours(7)), end = Iso(day.AddHours(18)), reason = "USV defekt", publicMessage = "Ihr Termin fällt aus.", notify = true,
        });
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            var outbox = await farm.AdminAsync(0, HttpMethod.Get, "/api/dev/outbox");
            var tokens = outbox.EnumerateArray().Where(m => m.GetProperty("channel").GetString() == "sms")
                .Select(m => Scenario.LinkToken(m.GetProperty("body").GetString()!)).Distinct().ToList();
            if (tokens.Count == Citizens + 1) return tokens;
            await Task.Delay(200);
        }
        Assert.Fail("the worker did not send the messages:\n" + farm.Output);
        return [];
    }

    /// <summary>A JSON body with a known length whose second half is sent only after <paramref name="pause"/>.</summary>
    sealed class SlowJson : HttpContent
    {
        readonly TimeSpan pause;

        public SlowJson(string json, TimeSpan pause)
        {
            bytes = Encoding.UTF8.GetBytes(json);
            this.pause = pause;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        readonly byte[] bytes;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = bytes.Length / 2;
            await stream.WriteAsync(bytes.AsMemory(0, half));
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
