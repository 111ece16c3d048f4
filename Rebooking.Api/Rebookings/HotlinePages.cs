using Microsoft.AspNetCore.Mvc;
using Rebooking.Api.Access;
using Rebooking.Api.Outages;
using Rebooking.Api.StaffConsole;
using Rebooking.Rebookings;
using Rebooking.Tenants;

namespace Rebooking.Api.Rebookings;

public sealed record HotlineModel(
    TenantMasterData Tenant, string Query, IReadOnlyList<LinkedBooking> Results, LinkedBooking? Selected,
    IReadOnlyList<Offer> Offers, NewAppointment? Appointment, bool SlotGone, Rebooking.Voice.VoiceCallSummary? LastCall = null);

/// <summary>
/// The hotline: a clerk on the phone finds the caller's affected booking by reference or name
/// (<c>/staff/tenants/{tenant}/hotline</c>) and books one of its offers for them, with the same guarantees as
/// the citizen's own link; the confirmation goes out on whatever channel the citizen has.
/// </summary>
public static class HotlinePages
{
    public static RouteGroupBuilder MapHotline(this RouteGroupBuilder console)
    {
        var group = console.MapGroup("/tenants/{tenant}/hotline").RequireAuthorization(StaffAuth.ConsoleClerkPolicy);
        group.MapGet("", Search);
        group.MapGet("/{affectedId:long}", Show);
        group.MapPost("/{affectedId:long}/book", Book);
        return console;
    }

    static async Task<IResult> Search(string tenant, string? q, HttpContext http, TenantStore tenants, CitizenRebooking rebooking, CancellationToken ct)
    {
        if (await OutagePages.TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        var results = string.IsNullOrWhiteSpace(q) ? [] : await rebooking.SearchAsync(tenant, q, ct);
        return ConsolePages.Render<HotlinePage>(http, new HotlineModel(data, q ?? "", results, null, [], null, false));
    }

    static async Task<IResult> Show(string tenant, long affectedId, HttpContext http, TenantStore tenants, CitizenRebooking rebooking, CancellationToken ct) =>
        await DetailAsync(tenant, affectedId, http, tenants, rebooking, slotGone: false, ct);

    static async Task<IResult> DetailAsync(string tenant, long affectedId, HttpContext http, TenantStore tenants, CitizenRebooking rebooking, bool slotGone, CancellationToken ct)
    {
        if (await OutagePages.TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        if (await rebooking.FindAffectedAsync(tenant, affectedId, ct) is not { } booking) return Results.NotFound();
        var offers = await rebooking.OffersAsync(booking, ct);
        var appointment = await rebooking.NewAppointmentAsync(booking, ct);
        var lastCall = await http.RequestServices.GetRequiredService<Rebooking.Voice.VoiceReports>().LatestAsync(tenant, affectedId, ct);
        return ConsolePages.Render<HotlinePage>(http, new HotlineModel(data, "", [], booking, offers, appointment, slotGone, lastCall),
            slotGone ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);
    }

    static async Task<IResult> Book(string tenant, long affectedId, [FromForm] string? slotId, HttpContext http, TenantStore tenants,
        CitizenRebooking rebooking, CancellationToken ct)
    {
        if (!http.User.MayAccessTenant(tenant)) return ConsolePages.Forbidden(http);
        if (!long.TryParse(slotId, out var slot)) return await DetailAsync(tenant, affectedId, http, tenants, rebooking, slotGone: true, ct);
        var (outcome, _) = await rebooking.BookForCitizenAsync(tenant, affectedId, slot, http.User.Actor(), ct);
        return outcome switch
        {
            BookingOutcome.Unknown => Results.NotFound(),
            BookingOutcome.SlotGone => await DetailAsync(tenant, affectedId, http, tenants, rebooking, slotGone: true, ct),
            _ => Results.Redirect($"/staff/tenants/{tenant}/hotline/{affectedId}"),
        };
    }
}
