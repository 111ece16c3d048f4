using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Voice;

namespace Rebooking.Tests.Support;

/// <summary>The voice tests' one pass of the worker over a declaration.</summary>
public static class VoiceScenario
{
    /// <summary>Declares <paramref name="outage"/>, processes it, sends what that queued and places the calls due now; returns the outage's id.</summary>
    public static async Task<Guid> DeclareAndCallAsync(this RebookingApp app, string tenant, object outage)
    {
        var id = await app.DeclareAsync(tenant, outage);
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        await app.Services.GetRequiredService<VoiceDialer>().RunPendingAsync();
        return id;
    }
}
