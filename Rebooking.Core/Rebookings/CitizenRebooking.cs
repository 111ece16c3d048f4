using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Operations;
using Rebooking.Integration;

namespace Rebooking.Rebookings;

/// <summary>
/// The citizen's side: what a link shows, which slots are offered, booking one, declining. Reads never
/// change anything (link scanners and messenger previews open links); only the POSTs do.
/// </summary>
public sealed class CitizenRebooking(Db db, Audit audit, TimeProvider clock, IOptions<RebookingOptions> options, IWorkQueue? work = null)
{
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();
    readonly RebookingOptions options = options.Value;

    readonly OfferCache offerCache = new(options.Value.OfferCacheDuration);

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
    /// <remarks>
    /// Offered while the link is open, and after rebooking while the appointment may still be changed
    /// (<see cref="CanChange"/>), then without the slot the citizen already holds.
    /// </remarks>
    public async Task<IReadOnlyList<Offer>> OffersAsync(LinkedBooking booking, CancellationToken ct = default)
    {
        if (booking.Outcome != "open" && !CanChange(booking)) return [];
        var offers = await offerCache.GetAsync(booking.OutageId, booking.ServiceId, async () =>
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<Offer>(RebookingSql.Offers, OfferParameters(booking, null))).ToList();
        });
        return offers.Where(o => o.SlotId != booking.NewSlotId)
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
    /// confirmation queued. A link that declined books nothing more. A link that already booked changes its
    /// appointment to <paramref name="slotId"/> instead (<see cref="ChangeFoundAsync"/>). Also returns the link
    /// as read (null when unknown), so callers need not look it up again.
    /// </summary>
    /// <param name="version">The <see cref="LinkedBooking.Version"/> the citizen saw; when given and no longer current, nothing is booked (AlreadyDecided).</param>
    public async Task<(BookingOutcome Outcome, NewAppointment? Appointment, LinkedBooking? Booking)> BookAsync(string token, long slotId, int? version = null,
        CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var (state, booking) = await FindAsync(connection, transaction, token);
        if (state != LinkState.Found) return (state == LinkState.Expired ? BookingOutcome.Expired : BookingOutcome.Unknown, null, booking);
        if (version is { } seen && seen != booking!.Version) return (BookingOutcome.AlreadyDecided, null, booking);
        var (outcome, appointment) = booking!.Outcome == "rebooked"
            ? await ChangeFoundAsync(connection, transaction, booking, slotId, ct)
            : await BookFoundAsync(connection, transaction, booking, slotId, ct);
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
        offerCache.Forget(booking.OutageId, booking.ServiceId);
        work.NotificationsDue();
        work.WebhooksDue();
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
        return await DeclineFoundAsync(connection, transaction, booking, ct);
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
            offerCache.Forget(booking.OutageId, booking.ServiceId);
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
        await BookingChanges.RecordAsync(connection, transaction, ChangeType.Rebooked, booking.AffectedId, now, newId);
        await connection.ExecuteAsync(RebookingSql.QueueConfirmation,
            new { booking.TenantId, NewBookingId = newId, booking.AffectedId, offer.Start, Now = now, Revision = 0 }, transaction);
        if (commit)
        {
            await transaction.CommitAsync(ct);
            offerCache.Forget(booking.OutageId, booking.ServiceId);
            work.NotificationsDue();
            work.WebhooksDue();
        }
        return (BookingOutcome.Booked, new NewAppointment { BookingRef = reference, OfficeName = offer.OfficeName, Start = offer.Start, End = offer.End });
    }

    /// <summary>
    /// "I don't need a new appointment." Returns the link's state; declining twice is harmless. On a rebooked
    /// link this cancels the new appointment (until <see cref="RebookingOptions.ChangeCutoff"/> before it):
    /// its slot is freed and the outcome becomes declined, in one transaction.
    /// </summary>
    public async Task<(BookingOutcome Outcome, LinkedBooking? Booking)> DeclineAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var (state, booking) = await FindAsync(connection, transaction, token);
        if (state != LinkState.Found) return (state == LinkState.Expired ? BookingOutcome.Expired : BookingOutcome.Unknown, booking);
        if (booking!.Outcome == "rebooked") return (await CancelRebookedAsync(connection, transaction, booking, ct), booking);
        return (await DeclineFoundAsync(connection, transaction, booking, ct), booking);
    }

    /// <summary>
    /// Declines an open affected booking (idempotent: an already declined one stays declined and writes nothing);
    /// the appointment system's change row commits with it. Through the link and by key press alike.
    /// </summary>
    async Task<BookingOutcome> DeclineFoundAsync(DbConnection connection, DbTransaction transaction, LinkedBooking booking, CancellationToken ct)
    {
        if (booking.Outcome is not ("open" or "declined")) return BookingOutcome.AlreadyDecided;
        var now = clock.GetUtcNow();
        if (await connection.ExecuteAsync(RebookingSql.MarkDeclined, new { booking.AffectedId, Now = now }, transaction) == 1)
            await BookingChanges.RecordAsync(connection, transaction, ChangeType.Declined, booking.AffectedId, now);
        await transaction.CommitAsync(ct);
        work.WebhooksDue();
        return BookingOutcome.Declined;
    }

    /// <summary>
    /// Whether a rebooked appointment may still be changed or cancelled through the link: until
    /// <see cref="RebookingOptions.ChangeCutoff"/> before it starts. The link's own expiry is checked where
    /// it is read (an expired link finds nothing to change).
    /// </summary>
    public bool CanChange(LinkedBooking booking) =>
        booking.Outcome == "rebooked" && booking.NewStart is { } start && booking.NewBookingId is not null
        && (booking.ExpiresAt is null || booking.ExpiresAt > clock.GetUtcNow())
        && clock.GetUtcNow() < start - options.ChangeCutoff;

    /// <summary>Until when a rebooked appointment may be changed through the link (the earlier of cutoff and expiry); null when it is not rebooked.</summary>
    public DateTimeOffset? ChangeUntil(LinkedBooking booking)
    {
        if (booking.Outcome != "rebooked" || booking.NewStart is not { } start) return null;
        var until = start - options.ChangeCutoff;
        return booking.ExpiresAt is { } expires && expires < until ? expires : until;
    }

    /// <summary>
    /// Moves the rebooked appointment to <paramref name="slotId"/> in one transaction: the booking row is
    /// moved (guarded by the revision read with the link, so of two tabs only one moves it), a unit of the
    /// new slot is taken (guarded, never beyond capacity), the old slot's unit is given back, a confirmation
    /// not yet sent is withdrawn and a new one queued. On any refusal the transaction is rolled back: the
    /// citizen holds exactly one appointment at every moment.
    /// </summary>
    async Task<(BookingOutcome Outcome, NewAppointment? Appointment)> ChangeFoundAsync(
        DbConnection connection, DbTransaction transaction, LinkedBooking booking, long slotId, CancellationToken ct)
    {
        if (!CanChange(booking)) return (BookingOutcome.TooLate, null);
        if (slotId == booking.NewSlotId)
            return (BookingOutcome.Booked, await connection.QuerySingleAsync<NewAppointment>(RebookingSql.NewBooking, new { Id = booking.NewBookingId }, transaction));
        var offer = await connection.QuerySingleOrDefaultAsync<Offer>(RebookingSql.Offer, OfferParameters(booking, slotId), transaction);
        if (offer is null)
        {
            offerCache.Forget(booking.OutageId, booking.ServiceId);
            return (BookingOutcome.SlotGone, null);
        }
        var now = clock.GetUtcNow();
        if (await connection.ExecuteAsync(RebookingSql.MoveBooking, new
            {
                booking.NewBookingId, booking.Revision, offer.OfficeId, offer.Start, offer.End, SlotId = slotId, Now = now,
            }, transaction) == 0)
            return (BookingOutcome.AlreadyDecided, null);
        if (await connection.ExecuteAsync(RebookingSql.TakeUnit, new { SlotId = slotId }, transaction) == 0)
        {
            await transaction.RollbackAsync(ct);
            offerCache.Forget(booking.OutageId, booking.ServiceId);
            return (BookingOutcome.SlotGone, null);
        }
        if (booking.NewSlotId is { } oldSlot) await connection.ExecuteAsync(RebookingSql.ReleaseUnit, new { SlotId = oldSlot }, transaction);
        await BookingChanges.RecordAsync(connection, transaction, ChangeType.Rebooked, booking.AffectedId, now, booking.NewBookingId);
        await connection.ExecuteAsync(RebookingSql.WithdrawQueuedConfirmations, new { booking.AffectedId }, transaction);
        await connection.ExecuteAsync(RebookingSql.QueueConfirmation, new
        {
            booking.TenantId, booking.NewBookingId, booking.AffectedId, offer.Start, Now = now, Revision = booking.Revision + 1,
        }, transaction);
        await transaction.CommitAsync(ct);
        offerCache.Forget(booking.OutageId, booking.ServiceId);
        work.NotificationsDue();
        work.WebhooksDue();
        var appointment = await connection.QuerySingleAsync<NewAppointment>(RebookingSql.NewBooking, new { Id = booking.NewBookingId });
        return (BookingOutcome.Booked, appointment);
    }

    /// <summary>Cancels the rebooked appointment: booking cancelled, its unit freed, outcome declined, unsent confirmations withdrawn.</summary>
    async Task<BookingOutcome> CancelRebookedAsync(DbConnection connection, DbTransaction transaction, LinkedBooking booking, CancellationToken ct)
    {
        if (!CanChange(booking)) return BookingOutcome.TooLate;
        var now = clock.GetUtcNow();
        if (await connection.ExecuteAsync(RebookingSql.CancelBooking, new { booking.NewBookingId, booking.Revision, Now = now }, transaction) == 0
            || await connection.ExecuteAsync(RebookingSql.MarkRebookedDeclined, new { booking.AffectedId, Now = now }, transaction) == 0)
        {
            await transaction.RollbackAsync(ct);
            return BookingOutcome.AlreadyDecided;
        }
        if (booking.NewSlotId is { } slot) await connection.ExecuteAsync(RebookingSql.ReleaseUnit, new { SlotId = slot }, transaction);
        await BookingChanges.RecordAsync(connection, transaction, ChangeType.Declined, booking.AffectedId, now);
        await connection.ExecuteAsync(RebookingSql.WithdrawQueuedConfirmations, new { booking.AffectedId }, transaction);
        await transaction.CommitAsync(ct);
        offerCache.Forget(booking.OutageId, booking.ServiceId);
        work.WebhooksDue();
        return BookingOutcome.Declined;
    }
}
