namespace Rebooking.Benchmarks;

/// <summary>Twilio's create endpoint on loopback: 201 with a message SID after a fixed latency.</summary>
internal static class FakeTwilioListener
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    public static LoopbackServer Start(TimeSpan latency) =>
        LoopbackServer.Start(18_000, latency, 201, n => $"{{\"sid\":\"SM{n:x32}\",\"status\":\"queued\"}}");
}
