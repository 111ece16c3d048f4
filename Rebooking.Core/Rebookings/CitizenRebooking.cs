using System.Data.Common;
using Dapper;
using FluentValidation;
using Microsoft.Extensions.Options;
using Rebooking.Data;

namespace Rebooking.Rebookings;

/// <summary>Body of <c>POST /api/rebook/{token}</c>.</summary>
public sealed record BookSlotRequest(string? SlotId);

public sealed class BookSlotRequestValidator : AbstractValidator<BookSlotRequest>
{
    public BookSlotRequestValidator() =>
        RuleFor(r => r.SlotId).NotEmpty().Must(id => long.TryParse(id, out var n) && n > 0).WithMessage("'slotId' must be one of the offered slot ids.");
}

/// <summary>A slot offered to a citizen. Times UTC.</summary>
public sealed class Offer
{
    public long SlotId { get; init; }
    public string OfficeId { get; init; } = "";
    public string OfficeName { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}

/// <summary>The appointment a citizen now has.</summary>
public sealed class NewAppointment
{
    public string BookingRef { get; init; } = "";
    public string OfficeName { get; init; } = "";
    public string? OfficeAddress { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}

/// <summary>What a citizen's link leads to.</summary>
public sealed class LinkedBooking
{
    /// <summary>When the citizen's link expires; null when read without a link (the hotline).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    public long AffectedId { get; init; }
    /// <summary>open, rebooked, declined or reinstated.</summary>
    public string Outcome { get; init; } = "";
    public Guid OutageId { get; init; }
    public string TenantId { get; init; } = "";
    public string OfficeId { get; init; } = "";
    public string ServiceId { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public long? NewBookingId { get; init; }
    public string BookingRef { get; init; } = "";
    /// <summary>The citizen's name: for the hotline only, never shown on the citizen's page.</summary>
    public string Name { get; init; } = "";
    /// <summary>The citizen's e-mail address (hotline only): whether a confirmation can reach them.</summary>
    public string? Email { get; init; }
    /// <summary>mobile, landline or unknown; only a mobile number receives SMS.</summary>
    public string? PhoneKind { get; init; }
    /// <summary>True when some channel can reach the citizen: an e-mail address or a number that takes SMS.</summary>
    public bool Reachable => Email is not null || Bookings.PhoneNumber.CanReceiveSmsKind(PhoneKind);
    public string Language { get; init; } = "de";
    public string OfficeName { get; init; } = "";
    public string? OfficeAddress { get; init; }
    public string ServiceName { get; init; } = "";
    public string PublicMessage { get; init; } = "";
    public DateTimeOffset? OutageEnd { get; init; }
    public string TenantName { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string? ContactPhone { get; init; }
    public string? ContactEmail { get; init; }
    public string? ContactWeb { get; init; }
    public TimeZoneInfo Zone => OffsetTime.Zone(TimeZone);
}

public enum LinkState { Found, Unknown, Expired }

public enum BookingOutcome { Booked, Declined, SlotGone, AlreadyDecided, Unknown, Expired }

/// <summary>
/// The citizen's side: what a link shows, which slots are offered, booking one, declining. Reads never
/// change anything (link scanners and messenger previews open links); only the POSTs do.
/// </summary>
public sealed class CitizenRebooking(Db db, Audit audit, TimeProvider clock, IOptions<RebookingOptions> options)
{
    readonly RebookingOptions options = options.Value;

    /// <summary>Offers per (outage, service), with the Stopwatch timestamp they expire at. Process-local.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Outage, string Service), (long Expires, IReadOnlyList<Offer> Offers)> offerCache = new();

    public async Task<(LinkState State, LinkedBooking? Booking)> FindAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, token);
    }

    async Task<(LinkState, LinkedBooking?)> FindAsync(DbConnection connection, DbTransaction? transaction, string token)
    {
        if (!IsWellFormed(token)) return (LinkState.Unknown, null);
        var booking = await connection.QuerySingleOrDefaultAsync<LinkedBooking>(RebookingSql.FindByLink, new { TokenHash = RebookingLinks.Hash(token) }, transaction);
        if (booking is null) return (LinkState.Unknown, null);
        return (booking.ExpiresAt <= clock.GetUtcNow() ? LinkState.Expired : LinkState.Found, booking);
    }

    /// <summary>Tokens are 24 base64url characters; anything else is not looked up at all.</summary>
    static bool IsWellFormed(string token) =>
        token.Length is >= 22 and <= 64 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async Task<NewAppointment?> NewAppointmentAsync(LinkedBooking booking, CancellationToken ct = default)
    {
        if (booking.NewBookingId is null) return null;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<NewAppointment>(RebookingSql.NewBooking, new { Id = booking.NewBookingId });
    }

    /// <summary>
    /// The earliest free slots for the same service after the outage ends, within the offer horizon: at the
    /// same office first, then the tenant's other offices, at most <see cref="RebookingOptions.OfferCount"/> each.
    /// </summary>
    public async Task<IReadOnlyList<Offer>> OffersAsync(LinkedBooking booking, CancellationToken ct = default)
    {
        if (booking.Outcome != "open") return [];
        var key = (booking.OutageId, booking.ServiceId);
        if (!offerCache.TryGetValue(key, out var cached) || System.Diagnostics.Stopwatch.GetTimestamp() >= cached.Expires)
        {
            await using var connection = await db.OpenAsync(ct);
            var fresh = (await connection.QueryAsync<Offer>(RebookingSql.Offers, OfferParameters(booking, null))).ToList();
            if (offerCache.Count > 10_000) offerCache.Clear();
            cached = (System.Diagnostics.Stopwatch.GetTimestamp() + (long)(options.OfferCacheDuration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency), fresh);
            offerCache[key] = cached;
        }
        return cached.Offers
            .GroupBy(o => o.OfficeId)
            .OrderBy(g => g.Key == booking.OfficeId ? 0 : 1).ThenBy(g => g.First().Start)
            .SelectMany(g => g)
            .ToList();
    }

    object OfferParameters(LinkedBooking booking, long? slotId)
    {
        var now = clock.GetUtcNow();
        var from = booking.OutageEnd is { } end && end > now ? end : now;
        return new
        {
            booking.TenantId, booking.ServiceId, booking.OutageId, From = from, Until = now + options.OfferHorizon, SlotId = slotId,
            options.OfferCount,
        };
    }

    /// <summary>
    /// Books <paramref name="slotId"/> for the citizen in one transaction: one unit of the slot's capacity
    /// (a guarded update, so never beyond capacity), a new booking, the old one marked rebooked, and a
    /// confirmation queued. A link that already booked or declined books nothing more. Also returns the link
    /// as read (null when unknown), so callers need not look it up again.
    /// </summary>
    public async Task<(BookingOutcome Outcome, NewAppointment? Appointment, LinkedBooking? Booking)> BookAsync(string token, long slotId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var (state, booking) = await FindAsync(connection, transaction, token);
        if (state != LinkState.Found) return (state == LinkState.Expired ? BookingOutcome.Expired : BookingOutcome.Unknown, null, booking);
        var (outcome, appointment) = await BookFoundAsync(connection, transaction, booking!, slotId, ct);
        return (outcome, appointment, booking);
    }

    /// <summary>
    /// The hotline: a clerk books <paramref name="slotId"/> for the citizen of an affected booking of
    /// <paramref name="tenantId"/>, with the same guarantees as the citizen's own booking, and it is audited.
    /// The confirmation goes out on whatever channel the citizen has.
    /// </summary>
    public async Task<(BookingOutcome Outcome, NewAppointment? Appointment)> BookForCitizenAsync(
        string tenantId, long affectedId, long slotId, string actor, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var booking = await connection.QuerySingleOrDefaultAsync<LinkedBooking>(RebookingSql.FindAffected,
            new { AffectedId = affectedId, TenantId = tenantId }, transaction);
        if (booking is null) return (BookingOutcome.Unknown, null);
        var result = await BookFoundAsync(connection, transaction, booking, slotId, ct, commit: false);
        if (result.Outcome != BookingOutcome.Booked) return result;
        await audit.RecordAsync(connection, transaction, actor, tenantId, "rebooking.hotline", affectedId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Appointment!.BookingRef);
        await transaction.CommitAsync(ct);
        offerCache.TryRemove((booking.OutageId, booking.ServiceId), out _);
        return result;
    }

    /// <summary>
    /// A citizen on the phone pressed the key for <paramref name="slotId"/>: booked exactly as through the link (one
    /// transaction, the slot's capacity guarded, the confirmation queued). Found by the affected booking the call is
    /// about, never by a token.
    /// </summary>
    public async Task<(BookingOutcome Outcome, NewAppointment? Appointment)> BookByPhoneAsync(
        string tenantId, long affectedId, long slotId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var booking = await connection.QuerySingleOrDefaultAsync<LinkedBooking>(RebookingSql.FindAffected,
            new { AffectedId = affectedId, TenantId = tenantId }, transaction);
        if (booking is null) return (BookingOutcome.Unknown, null);
        return await BookFoundAsync(connection, transaction, booking, slotId, ct);
    }

    /// <summary>A citizen on the phone wants no new appointment; as <see cref="DeclineAsync"/>, declining twice is harmless.</summary>
    public async Task<BookingOutcome> DeclineByPhoneAsync(string tenantId, long affectedId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var booking = await connection.QuerySingleOrDefaultAsync<LinkedBooking>(RebookingSql.FindAffected,
            new { AffectedId = affectedId, TenantId = tenantId }, transaction);
        if (booking is null) return BookingOutcome.Unknown;
        if (booking.Outcome is not ("open" or "declined")) return BookingOutcome.AlreadyDecided;
        await connection.ExecuteAsync(RebookingSql.MarkDeclined, new { booking.AffectedId, Now = clock.GetUtcNow() }, transaction);
        await transaction.CommitAsync(ct);
        return BookingOutcome.Declined;
    }

    /// <summary>An affected booking of the tenant, for the hotline; null when there is none with that id.</summary>
    public async Task<LinkedBooking?> FindAffectedAsync(string tenantId, long affectedId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LinkedBooking>(RebookingSql.FindAffected, new { AffectedId = affectedId, TenantId = tenantId });
    }

    /// <summary>The hotline's search by booking reference (exact, any case) or part of the name; open ones first.</summary>
    public async Task<IReadOnlyList<LinkedBooking>> SearchAsync(string tenantId, string query, CancellationToken ct = default)
    {
        var q = query.Trim();
        if (q.Length < 2) return [];
        var pattern = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<LinkedBooking>(db.Sql(RebookingSql.SearchAffected), new { TenantId = tenantId, Ref = q, NamePattern = pattern })).ToList();
    }

    async Task<(BookingOutcome Outcome, NewAppointment? Appointment)> BookFoundAsync(
        DbConnection connection, DbTransaction transaction, LinkedBooking booking, long slotId, CancellationToken ct, bool commit = true)
    {
        if (booking.Outcome != "open") return (BookingOutcome.AlreadyDecided, null);
        var offer = await connection.QuerySingleOrDefaultAsync<Offer>(RebookingSql.Offer, OfferParameters(booking, slotId), transaction);
        if (offer is null || await connection.ExecuteAsync(RebookingSql.TakeUnit, new { SlotId = slotId }, transaction) == 0)
        {
            offerCache.TryRemove((booking.OutageId, booking.ServiceId), out _);
            return (BookingOutcome.SlotGone, null);
        }
        var now = clock.GetUtcNow();
        var reference = $"{booking.BookingRef}-R{booking.AffectedId}";
        var newId = await connection.ExecuteScalarAsync<long>(db.Sql(RebookingSql.InsertBooking), new
        {
            Ref = reference, offer.OfficeId, offer.Start, offer.End, SlotId = slotId, Now = now, booking.AffectedId,
        }, transaction);
        if (await connection.ExecuteAsync(RebookingSql.MarkRebooked, new { booking.AffectedId, NewBookingId = newId, Now = now }, transaction) == 0)
            return (BookingOutcome.AlreadyDecided, null);
        await connection.ExecuteAsync(RebookingSql.QueueConfirmation,
            new { booking.TenantId, NewBookingId = newId, booking.AffectedId, offer.Start, Now = now }, transaction);
        if (commit)
        {
            await transaction.CommitAsync(ct);
            offerCache.TryRemove((booking.OutageId, booking.ServiceId), out _);
        }
        return (BookingOutcome.Booked, new NewAppointment { BookingRef = reference, OfficeName = offer.OfficeName, Start = offer.Start, End = offer.End });
    }

    /// <summary>"I don't need a new appointment." Returns the link's state; declining twice is harmless.</summary>
    public async Task<(BookingOutcome Outcome, LinkedBooking? Booking)> DeclineAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var (state, booking) = await FindAsync(connection, transaction, token);
        if (state != LinkState.Found) return (state == LinkState.Expired ? BookingOutcome.Expired : BookingOutcome.Unknown, booking);
        if (booking!.Outcome is not ("open" or "declined")) return (BookingOutcome.AlreadyDecided, booking);
        await connection.ExecuteAsync(RebookingSql.MarkDeclined, new { booking.AffectedId, Now = clock.GetUtcNow() }, transaction);
        await transaction.CommitAsync(ct);
        return (BookingOutcome.Declined, booking);
    }
}
