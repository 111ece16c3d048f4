using Hangfire;
using Rebooking.Voice;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Recurring, on the sweep's cadence (every second on SQLite, every minute on SQL Server): places the calls that
/// are due. Calling hours, pacing, retries and the claim under a lease live in <see cref="VoiceDialer"/>, which
/// runs one loop at a time per process; Hangfire never retries this job, so a call is never placed twice by a retry.
/// </summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class PlaceVoiceCallsJob(VoiceDialer dialer, IHostApplicationLifetime host, ILogger<PlaceVoiceCallsJob> logger)
{
    public const string Id = "place-voice-calls";

    public Task RunAsync(CancellationToken ct) => JobRun.Safely(dialer.RunPendingAsync, logger, "Placing voice calls", host, ct);
}
