namespace Rebooking.Api.Operations;

/// <summary><c>Drain:*</c>: what the Api does between SIGTERM and its exit. Validated at start.</summary>
public sealed class DrainOptions
{
    public const string Section = "Drain";

    /// <summary>
    /// How long the host keeps serving, with <c>/health/ready</c> at 503 and <c>Connection: close</c> on every
    /// answer, before it stops: at least the load balancer's check interval times its failure threshold. Skipped
    /// when nothing ever asked this host for <c>/health/ready</c> (no balancer to notice).
    /// </summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After the delay: how long requests still in flight may take to finish before the host stops anyway and cuts them.</summary>
    public TimeSpan GraceTime { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Errors()
    {
        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromMinutes(5)) yield return "Drain:Delay must be between 00:00:00 and 00:05:00.";
        if (GraceTime < TimeSpan.Zero || GraceTime > TimeSpan.FromMinutes(10)) yield return "Drain:GraceTime must be between 00:00:00 and 00:10:00.";
    }
}
