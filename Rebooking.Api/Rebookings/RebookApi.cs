using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Api.Http;
using Rebooking.Rebookings;

namespace Rebooking.Api.Rebookings;

/// <summary>
/// What a link shows. <see cref="CanChange"/>: a rebooked appointment may still be moved (POST with another
/// slot) or cancelled (POST .../decline); <see cref="Offers"/> then lists the other free slots.
/// </summary>
public sealed record RebookView(string State, RebookBooking Booking, string PublicMessage, IReadOnlyList<OfferResponse> Offers,
    RebookAppointment? NewBooking, RebookContact Contact, string PublicMessageLanguage, bool CanChange, string? ChangeUntil, int Version);

public sealed record RebookBooking(string Ref, string OfficeName, string ServiceName, string Start);

public sealed record OfferResponse(string SlotId, string OfficeId, string OfficeName, string Start, string End);

public sealed record RebookAppointment(string BookingRef, string OfficeName, string Start, string End);

public sealed record RebookContact(string TenantName, string? Phone, string? Email, string? Web);

public sealed record SlotTaken(string Title, IReadOnlyList<OfferResponse> Offers);

public static class RebookApi
{
    /// <summary>The contract's citizen API. No staff credentials: the token in the path is the credential.</summary>
    public static RouteGroupBuilder MapRebook(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/rebook/{token}").WithTags("Citizens").AllowAnonymous().RequireRateLimiting(RateLimits.Citizens);
        group.MapGet("", View)
            .WithSummary("What the link shows")
            .WithDescription("Never changes anything. After rebooking, canChange says whether the new appointment may still be changed or " +
                "cancelled (until Rebooking:ChangeCutoff before it starts, never after the link expires); offers then lists the other free slots. " +
                "version changes with every booking, change or cancellation.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("", Book).WithValidation()
            .WithSummary("Book a slot, or change the rebooked appointment to it")
            .WithDescription("On an open link: books the slot. On a rebooked link: books it in place of the current appointment in one " +
                "transaction (the old slot is freed; never two appointments or none) and sends the confirmation again; the .ics keeps its " +
                "UID and raises SEQUENCE. 409 when the slot is full, the link was declined, or 'version' is given and no longer current " +
                "(another tab was quicker); 410 when the link expired or the appointment starts within the change cutoff.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/decline", Decline)
            .WithSummary("No new appointment needed, or cancel the rebooked one")
            .WithDescription("On an open link: records that no appointment is needed (idempotent). On a rebooked link: cancels the new " +
                "appointment, frees its slot and marks the outcome declined; 410 within the change cutoff or after expiry.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        return group;
    }

    /// <summary>Never changes anything: link scanners and messenger previews open links too.</summary>
    static async Task<Results<Ok<RebookView>, ProblemHttpResult>> View(string token, CitizenRebooking rebooking, CancellationToken ct)
    {
        var (state, booking) = await rebooking.FindAsync(token, ct);
        if (state == LinkState.Unknown) return UnknownLink();
        if (state == LinkState.Expired) return ExpiredLink(booking!);
        return TypedResults.Ok(await DescribeAsync(booking!, rebooking, ct));
    }

    static async Task<Results<Ok<RebookAppointment>, Conflict<SlotTaken>, ValidationProblem, ProblemHttpResult>> Book(
        string token, BookSlotRequest request, CitizenRebooking rebooking, CancellationToken ct)
    {
        var (outcome, appointment, booking) = await rebooking.BookAsync(token, long.Parse(request.SlotId!), request.Version, ct);
        switch (outcome)
        {
            case BookingOutcome.Booked:
                return TypedResults.Ok(Appointment(appointment!, booking!.Zone));
            case BookingOutcome.Unknown:
                return UnknownLink();
            case BookingOutcome.Expired:
                return ExpiredLink(booking!);
            case BookingOutcome.AlreadyDecided:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This appointment has already been declined, or was changed a moment ago.");
            case BookingOutcome.TooLate:
                return TooLate(booking!);
            default:
                var offers = (await rebooking.OffersAsync(booking!, ct)).Select(o => Describe(o, booking!.Zone)).ToList();
                return TypedResults.Conflict(new SlotTaken("This slot is no longer free; here are the current offers.", offers));
        }
    }

    static async Task<Results<Ok<RebookView>, ProblemHttpResult>> Decline(string token, CitizenRebooking rebooking, CancellationToken ct)
    {
        var (outcome, booking) = await rebooking.DeclineAsync(token, ct);
        return outcome switch
        {
            BookingOutcome.Unknown => UnknownLink(),
            BookingOutcome.Expired => ExpiredLink(booking!),
            BookingOutcome.AlreadyDecided => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This appointment has already been decided or was changed a moment ago."),
            BookingOutcome.TooLate => TooLate(booking!),
            _ => TypedResults.Ok(await DescribeAsync((await rebooking.FindAsync(token, ct)).Booking!, rebooking, ct)),
        };
    }

    static async Task<RebookView> DescribeAsync(LinkedBooking b, CitizenRebooking rebooking, CancellationToken ct)
    {
        var zone = b.Zone;
        var offers = (await rebooking.OffersAsync(b, ct)).Select(o => Describe(o, zone)).ToList();
        var appointment = await rebooking.NewAppointmentAsync(b, ct);
        return new RebookView(b.Outcome, new RebookBooking(b.BookingRef, b.OfficeName, b.ServiceName, OffsetTime.Format(b.Start, zone)),
            b.PublicMessage, offers, appointment is null ? null : Appointment(appointment, zone),
            new RebookContact(b.TenantName, b.ContactPhone, b.ContactEmail, b.ContactWeb), b.PublicMessageLanguage,
            rebooking.CanChange(b), rebooking.ChangeUntil(b) is { } until ? OffsetTime.Format(until, zone) : null, b.Version);
    }

    static OfferResponse Describe(Offer o, TimeZoneInfo zone) =>
        new(o.SlotId.ToString(System.Globalization.CultureInfo.InvariantCulture), o.OfficeId, o.OfficeName, OffsetTime.Format(o.Start, zone), OffsetTime.Format(o.End, zone));

    static RebookAppointment Appointment(NewAppointment a, TimeZoneInfo zone) =>
        new(a.BookingRef, a.OfficeName, OffsetTime.Format(a.Start, zone), OffsetTime.Format(a.End, zone));

    static ProblemHttpResult UnknownLink() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown link", detail: "This link is not known. Please check that it was copied completely.");

    /// <summary>410: the rebooked appointment starts within the change cutoff; the office can still help.</summary>
    static ProblemHttpResult TooLate(LinkedBooking b) =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "This appointment can no longer be changed online",
            detail: $"It starts soon. Please contact {b.TenantName}.",
            extensions: new Dictionary<string, object?> { ["phone"] = b.ContactPhone, ["web"] = b.ContactWeb, ["email"] = b.ContactEmail });

    /// <summary>410, still with the office's phone and web address so the citizen can get help.</summary>
    static ProblemHttpResult ExpiredLink(LinkedBooking b) =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "This link has expired",
            detail: $"Please contact {b.TenantName}.",
            extensions: new Dictionary<string, object?> { ["phone"] = b.ContactPhone, ["web"] = b.ContactWeb, ["email"] = b.ContactEmail });
}
