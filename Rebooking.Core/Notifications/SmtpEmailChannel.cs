using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Text;

namespace Rebooking.Notifications;

/// <summary>
/// Email through MailKit: plain text with an HTML alternative, UTF-8 headers, an optional .ics. Keeps a small pool
/// of open connections (<see cref="SmtpOptions.PoolSize"/>): a MailKit client serves one send at a time. SMTP 4xx
/// and a relay that cannot be reached are transient; 5xx is permanent. Registered as a singleton of its own, so the
/// container disposes it when the host stops and the pooled connections say QUIT.
/// </summary>
public sealed class SmtpEmailChannel(SmtpOptions options, TimeProvider clock) : INotificationChannel, IAsyncDisposable, IDisposable
{
    /// <summary>A pooled connection unused for longer than this is checked with NOOP before it carries a mail.</summary>
    static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(20);

    readonly ConcurrentBag<(SmtpClient Client, DateTimeOffset LastUsed)> idle = [];
    readonly SemaphoreSlim slots = new(Math.Max(1, options.PoolSize), Math.Max(1, options.PoolSize));

    public SmtpEmailChannel(SmtpOptions options) : this(options, TimeProvider.System) { }

    /// <summary>
    /// Tests only (internal, no setting reaches it): trusts the tests' self-signed relay certificate. Unset, MailKit's
    /// default check applies: the certificate must chain to a trusted root and match <see cref="SmtpOptions.Host"/>.
    /// </summary>
    internal System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateCheck { get; init; }

    public string Name => "email";
    public double RatePerSecond => options.RatePerSecond;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        var mail = Compose(message, options.From!);
        await slots.WaitAsync(ct);
        SmtpClient? client = null;
        try
        {
            client = await RentAsync(ct);
            await client.SendAsync(mail, ct);
            idle.Add((client, clock.GetUtcNow()));
            client = null;
            return new SendOutcome(SendStatus.Accepted, ProviderRef: "smtp:" + mail.MessageId);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            return new SendOutcome(SendStatus.Permanent, ErrorCode: ((int)e.StatusCode).ToString(),
                Error: e.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? "recipient refused" : "SMTP refused the message");
        }
        catch (SmtpCommandException e)
        {
            return new SendOutcome(SendStatus.Transient, ErrorCode: ((int)e.StatusCode).ToString(), Error: "SMTP deferred the message");
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
                                      or SslHandshakeException or AuthenticationException or TimeoutException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // A refused, dropped or stalled connection: not accepted, try again later.
            return new SendOutcome(SendStatus.Transient, Error: "SMTP unavailable");
        }
        finally
        {
            // A client that failed is in an unknown state: never back into the pool.
            if (client is not null) await DiscardAsync(client);
            slots.Release();
        }
    }

    /// <summary>SMTP cannot be asked; after a crash between the relay's 250 and our record, the mail is sent again (with the same Message-ID).</summary>
    public Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct) =>
        Task.FromResult<SendOutcome?>(null);

    /// <summary>
    /// The MIME message: multipart/alternative of text and HTML (or the text alone), the .ics as a base64 attachment,
    /// UTF-8 encoded words in the headers, and a Message-ID derived from our notification's id, so every attempt
    /// carries the same one.
    /// </summary>
    internal static MimeMessage Compose(OutgoingMessage message, string from)
    {
        var sender = MailboxAddress.Parse(from);
        var mail = new MimeMessage { Subject = message.Subject ?? "" };
        mail.From.Add(sender);
        mail.To.Add(MailboxAddress.Parse(message.To));
        if (message.Reference is not null) mail.MessageId = $"{message.Reference}.rebooking@{sender.Domain}";
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        if (message.Calendar is { } calendar)
        {
            var ics = new MimePart("text", "calendar")
            {
                Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(calendar.Content))),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = calendar.FileName,
            };
            ics.ContentType.Parameters.Add("method", "PUBLISH");
            ics.ContentType.Charset = "utf-8";
            body.Attachments.Add(ics);
        }
        mail.Body = body.ToMessageBody();
        foreach (var part in mail.BodyParts.OfType<TextPart>().Where(p => p.Format is TextFormat.Plain or TextFormat.Html))
            part.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        return mail;
    }

    async Task<SmtpClient> RentAsync(CancellationToken ct)
    {
        while (idle.TryTake(out var pooled))
        {
            if (!pooled.Client.IsConnected) { await DiscardAsync(pooled.Client); continue; }
            if (clock.GetUtcNow() - pooled.LastUsed < IdleCheck) return pooled.Client;
            try
            {
                await pooled.Client.NoOpAsync(ct);
                return pooled.Client;
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or ServiceNotConnectedException)
            {
                await DiscardAsync(pooled.Client);
            }
        }
        var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        if (ServerCertificateCheck is not null) client.ServerCertificateValidationCallback = ServerCertificateCheck;
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, options.Security, ct);
            if (!string.IsNullOrEmpty(options.User)) await client.AuthenticateAsync(options.User, options.Password ?? "", ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    static async Task DiscardAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected) await client.DisconnectAsync(true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
        {
            // Already gone.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Closes the idle pooled connections with QUIT.</summary>
    public async ValueTask DisposeAsync()
    {
        while (idle.TryTake(out var pooled)) await DiscardAsync(pooled.Client);
    }

    /// <summary>For a container disposed synchronously: the same as <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
