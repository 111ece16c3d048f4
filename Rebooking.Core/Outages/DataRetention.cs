using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rebooking.Data;

namespace Rebooking.Outages;

/// <summary><c>Retention:*</c>: how long citizens' personal data stays after an outage is resolved.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Days after an outage's resolution before the names, phone numbers and e-mail addresses of its bookings are removed.</summary>
    public int Days { get; set; } = 30;
}

/// <summary>
/// DSGVO: removes names, phone numbers and e-mail addresses of bookings an outage affected, <see cref="RetentionOptions.Days"/>
/// days after it was resolved, once the appointment (and a new one booked instead) lies in the past; also the
/// development outbox's copies of messages. Affected rows, stats and audit stay, so the figures remain. A booking
/// still in an unresolved or recently resolved outage is left alone. Idempotent: cleaned rows are marked and skipped.
/// </summary>
public sealed class DataRetention(Db db, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<DataRetention> logger)
{
    /// <summary>Cleans what is due and returns how many bookings it anonymised.</summary>
    public async Task<int> CleanAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.Value.Days);
        var (bookings, messages) = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var p = new { Now = now, Cutoff = cutoff };
            var anonymised = await connection.ExecuteAsync(RetentionSql.AnonymiseAffected, p, transaction);
            anonymised += await connection.ExecuteAsync(RetentionSql.AnonymiseRebooked, p, transaction);
            var outbox = await connection.ExecuteAsync(RetentionSql.DeleteOutbox, p, transaction);
            await Integration.ChangeRetention.CleanAsync(connection, transaction, cutoff);
            return (anonymised, outbox);
        }, ct);
        if (bookings > 0 || messages > 0)
            logger.LogInformation("Retention: removed personal data of {Bookings} bookings and {Messages} outbox messages older than {Days} days",
                bookings, messages, options.Value.Days);
        return bookings;
    }
}

static class RetentionSql
{
    const string Clear = "UPDATE bookings SET name = '', phone = NULL, phone_kind = NULL, email = NULL, anonymized_at = @Now, updated_at = @Now";

    // An outage "holds" a booking while it is unresolved or resolved after @Cutoff.
    const string NotHeld = """
        NOT EXISTS (SELECT 1 FROM affected_bookings h JOIN outages ho ON ho.id = h.outage_id
                    WHERE h.booking_id = bookings.id AND (ho.resolved_at IS NULL OR ho.resolved_at > @Cutoff))
        """;

    /// <summary>Original bookings of outages resolved before @Cutoff whose appointment is past.</summary>
    public const string AnonymiseAffected = Clear + """

        WHERE anonymized_at IS NULL AND start_utc < @Now
          AND EXISTS (SELECT 1 FROM affected_bookings a JOIN outages o ON o.id = a.outage_id
                      WHERE a.booking_id = bookings.id AND o.resolved_at IS NOT NULL AND o.resolved_at <= @Cutoff)
          AND
        """ + " " + NotHeld;

    /// <summary>Bookings made instead (by the citizen's link or the hotline) once they, too, are past.</summary>
    public const string AnonymiseRebooked = Clear + """

        WHERE anonymized_at IS NULL AND start_utc < @Now
          AND EXISTS (SELECT 1 FROM affected_bookings a JOIN outages o ON o.id = a.outage_id
                      WHERE a.new_booking_id = bookings.id AND o.resolved_at IS NOT NULL AND o.resolved_at <= @Cutoff)
        """;

    /// <summary>The development outbox keeps recipients and bodies; it never needs more than the retention period.</summary>
    public const string DeleteOutbox = "DELETE FROM dev_outbox WHERE created_at < @Cutoff";
}
