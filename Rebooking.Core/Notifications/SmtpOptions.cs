namespace Rebooking.Notifications;

/// <summary><c>Smtp:*</c>. The service's own relay: the municipality's mail server may be down with everything else.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public string? Host { get; set; }

    /// <summary>587 (submission, STARTTLS) by default; 465 means implicit TLS from the first byte.</summary>
    public int Port { get; set; } = 587;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }

    /// <summary>
    /// Encrypt the connection: STARTTLS (required, never silently skipped), or implicit TLS on port 465.
    /// False only for a relay on the same host or a test listener.
    /// </summary>
    public bool StartTls { get; set; } = true;

    /// <summary>
    /// Implicit TLS from the first byte (MailKit's SslOnConnect) instead of STARTTLS. Unset: only on port 465.
    /// Set to true for a relay that speaks implicit TLS on another port; it needs <see cref="StartTls"/> left on.
    /// </summary>
    public bool? ImplicitTls { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public double RatePerSecond { get; set; } = 20;

    /// <summary>Connections kept open to the relay; one mail at a time goes through each.</summary>
    public int PoolSize { get; set; } = 4;

    /// <summary>How the connection is secured: none only when <see cref="StartTls"/> is off.</summary>
    public MailKit.Security.SecureSocketOptions Security =>
        !StartTls ? MailKit.Security.SecureSocketOptions.None
        : ImplicitTls ?? Port == 465 ? MailKit.Security.SecureSocketOptions.SslOnConnect
        : MailKit.Security.SecureSocketOptions.StartTls;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}
