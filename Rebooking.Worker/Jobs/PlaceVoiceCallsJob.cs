using Quartz;
using Rebooking.Voice;

namespace Rebooking.Worker.Jobs;

/// <summary>Every poll: place the calls that are due. Calling hours, pacing and retries live in <see cref="VoiceDialer"/>.</summary>
internal sealed class PlaceVoiceCallsJob(VoiceDialer dialer, IHostApplicationLifetime host, ILogger<PlaceVoiceCallsJob> logger) : IJob
{
    public static readonly JobKey Key = new("place-voice-calls", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(dialer.RunPendingAsync, logger, "Placing voice calls", host, ct);
}
