using System.Data.Common;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Rebooking.Data;

namespace Rebooking.Notifications;

/// <summary>
/// What an attempt came to. <c>Accepted</c>: the provider took it. <c>Transient</c>: not sent, try again
/// later. <c>Ambiguous</c>: it may have been sent (timeout, 5xx after the request went out): reconcile
/// before any resend. <c>Permanent</c>: this channel will never reach this recipient.
/// </summary>
public enum SendStatus { Accepted, Transient, Ambiguous, Permanent }

public sealed record SendOutcome(
    SendStatus Status, string? ProviderRef = null, string? ErrorCode = null, string? Error = null,
    TimeSpan? RetryAfter = null, bool Delivered = false);

/// <summary>An .ics file for the citizen's calendar.</summary>
public sealed record CalendarFile(string FileName, string Content);

/// <param name="Reference">Our notification's id: stable across attempts, so an email sent again after a crash carries the same Message-ID.</param>
public sealed record OutgoingMessage(string To, string Text, string? Subject = null, string? Html = null, CalendarFile? Calendar = null, string? Reference = null)
{
    /// <summary>SHA-256 of the text: how an attempt is recognised among the provider's messages.</summary>
    public byte[] BodyHash => SHA256.HashData(Encoding.UTF8.GetBytes(Text));
}

/// <summary>A way to reach a citizen. Implementations: Twilio SMS, SMTP email, and the development outbox.</summary>
public interface INotificationChannel
{
    /// <summary><c>sms</c> or <c>email</c>.</summary>
    string Name { get; }

    /// <summary>Messages per second this process may send; 0 = unlimited.</summary>
    double RatePerSecond { get; }

    Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct);

    /// <summary>
    /// After an attempt whose outcome is unknown: asks the provider whether it took that message. Returns
    /// the accepted outcome, or null when it did not (or the channel cannot tell) and a resend is due.
    /// </summary>
    Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct);
}

/// <summary>SMS through Twilio, with Twilio's error codes mapped to what the dispatcher does.</summary>
public sealed class TwilioSmsChannel(TwilioClient twilio, TwilioOptions options) : INotificationChannel
{
    public string Name => "sms";
    public double RatePerSecond => options.RatePerSecond;

    /// <summary>Codes after which this number will never get an SMS from us: invalid, opted out, not a mobile, not reachable.</summary>
    static readonly HashSet<int> PermanentCodes = [21211, 21408, 21610, 21612, 21614, 21217, 21401, 21407, 21421, 21604];

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        TwilioSendResult result;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            result = await twilio.SendAsync(message.To, message.Text, statusCallback, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendOutcome(SendStatus.Ambiguous, Error: "timeout");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound })
        {
            return new SendOutcome(SendStatus.Transient, Error: "connection refused");
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome(SendStatus.Ambiguous, Error: e.Message);
        }
        var code = result.ErrorCode?.ToString();
        return result switch
        {
            { Message: { } m } => new SendOutcome(SendStatus.Accepted, ProviderRef: m.Sid),
            { Status: HttpStatusCode.TooManyRequests } or { ErrorCode: 20429 or 21611 } =>
                new SendOutcome(SendStatus.Transient, ErrorCode: code ?? "429", Error: "rate limited", RetryAfter: result.RetryAfter),
            { Status: HttpStatusCode.Unauthorized } or { ErrorCode: 20003 } =>
                new SendOutcome(SendStatus.Transient, ErrorCode: code ?? "401", Error: "Twilio refused our credentials", RetryAfter: TimeSpan.FromMinutes(5)),
            { Status: >= HttpStatusCode.InternalServerError } =>
                new SendOutcome(SendStatus.Ambiguous, ErrorCode: code ?? ((int)result.Status).ToString(), Error: "Twilio server error; the message may exist"),
            { ErrorCode: { } c } when PermanentCodes.Contains(c) => new SendOutcome(SendStatus.Permanent, ErrorCode: code, Error: result.ErrorMessage),
            _ => new SendOutcome(SendStatus.Permanent, ErrorCode: code ?? ((int)result.Status).ToString(), Error: result.ErrorMessage),
        };
    }

    public async Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct)
    {
        var sent = await twilio.ListSentToAsync(to, attemptedAt, ct);
        var match = sent.FirstOrDefault(m => m.Body is not null
            && (m.Created is null || m.Created >= attemptedAt.AddMinutes(-2))
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(m.Body)), bodyHash));
        return match is null ? null : new SendOutcome(SendStatus.Accepted, ProviderRef: match.Sid);
    }
}

/// <summary><c>Smtp:*</c>. The service's own relay: the municipality's mail server may be down with everything else.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }
    /// <summary>STARTTLS (System.Net.Mail has no implicit TLS on 465).</summary>
    public bool StartTls { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public double RatePerSecond { get; set; } = 20;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}

/// <summary>Email through SMTP: plain text with an HTML alternative, UTF-8 headers, an optional .ics.</summary>
public sealed class SmtpEmailChannel(SmtpOptions options) : INotificationChannel
{
    public string Name => "email";
    public double RatePerSecond => options.RatePerSecond;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        using var mail = new MailMessage
        {
            From = new MailAddress(options.From!),
            Subject = message.Subject ?? "",
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        mail.To.Add(message.To);
        // One Message-ID per notification, the same on every attempt: a mail sent again after a worker died
        // between the relay's 250 and our record (SMTP cannot be asked) is recognisable as the same message.
        if (message.Reference is not null) mail.Headers.Add("Message-ID", $"<{message.Reference}.rebooking@{mail.From.Host}>");
        if (message.Html is null)
        {
            mail.Body = message.Text;
            mail.BodyEncoding = Encoding.UTF8;
            mail.BodyTransferEncoding = TransferEncoding.QuotedPrintable;
        }
        else
        {
            // Text and HTML only as the two views of multipart/alternative; a Body as well would repeat the text.
            mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.Text, Encoding.UTF8, MediaTypeNames.Text.Plain));
            mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.Html, Encoding.UTF8, MediaTypeNames.Text.Html));
        }
        if (message.Calendar is { } calendar)
        {
            var attachment = Attachment.CreateAttachmentFromString(calendar.Content, new ContentType("text/calendar; method=PUBLISH; charset=utf-8"));
            attachment.Name = calendar.FileName;
            mail.Attachments.Add(attachment);
        }
        using var client = new SmtpClient(options.Host, options.Port)
        {
            EnableSsl = options.StartTls,
            Timeout = (int)options.Timeout.TotalMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(options.User)) client.Credentials = new NetworkCredential(options.User, options.Password);
        try
        {
            await client.SendMailAsync(mail, ct);
            return new SendOutcome(SendStatus.Accepted, ProviderRef: "smtp:" + Guid.NewGuid().ToString("N")[..12]);
        }
        catch (SmtpFailedRecipientException e) when ((int)e.StatusCode >= 500)
        {
            return new SendOutcome(SendStatus.Permanent, ErrorCode: ((int)e.StatusCode).ToString(), Error: "recipient refused");
        }
        catch (SmtpException e) when ((int)e.StatusCode >= 500)
        {
            return new SendOutcome(SendStatus.Permanent, ErrorCode: ((int)e.StatusCode).ToString(), Error: "SMTP refused the message");
        }
        catch (Exception e) when (e is SmtpException or IOException or SocketException or InvalidOperationException)
        {
            // 4xx, a refused connection or a dropped one: not accepted, try again later.
            return new SendOutcome(SendStatus.Transient, ErrorCode: e is SmtpException s ? ((int)s.StatusCode).ToString() : null, Error: "SMTP unavailable");
        }
    }

    /// <summary>SMTP cannot be asked; after a crash between the relay's 250 and our record, the mail is sent again.</summary>
    public Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct) =>
        Task.FromResult<SendOutcome?>(null);
}

/// <summary>The development outbox: with neither Twilio nor SMTP configured, messages land in a table (GET /api/dev/outbox).</summary>
public sealed class OutboxChannel(string name, Db db, TimeProvider clock) : INotificationChannel
{
    public string Name => name;
    public double RatePerSecond => 0;

    readonly GroupCommit writes = new(db);

    const string Insert = "INSERT INTO dev_outbox (channel, recipient, subject, body, created_at) VALUES (@Channel, @Recipient, @Subject, @Body, @Now)";

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        // In a write transaction like every other writer of this process, so it waits its turn at the write gate (an
        // insert outside it would meet SQLite's sleeping busy handler whenever the worker writes, and make the worker
        // meet it too); and together with the sends running beside it, so a batch takes a few turns, not one each.
        ct.ThrowIfCancellationRequested();
        await writes.InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(Insert, new { Channel = name, Recipient = message.To, message.Subject, Body = message.Text, Now = clock.GetUtcNow() }, transaction));
        return new SendOutcome(SendStatus.Accepted, ProviderRef: "outbox", Delivered: true);
    }

    public async Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        var bodies = await connection.QueryAsync<string>("SELECT body FROM dev_outbox WHERE recipient = @To AND created_at >= @Since",
            new { To = to, Since = attemptedAt.AddMinutes(-2) });
        return bodies.Any(b => SHA256.HashData(Encoding.UTF8.GetBytes(b)).SequenceEqual(bodyHash))
            ? new SendOutcome(SendStatus.Accepted, ProviderRef: "outbox", Delivered: true)
            : null;
    }
}
