using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Rebooking.Access;

namespace Rebooking.Api.Access;

/// <summary>
/// The framework's key manager, plus one thing it lacks for several hosts on one key store: it notices keys
/// that another host added. Every <see cref="KeyRingOptions.RefreshInterval"/> it reads the newest row id of
/// <c>data_protection_keys</c>; when that changed, the cache-expiration token fires and the framework reloads
/// the ring on the next protect or unprotect. Everything else (which key is the default, when to create the
/// next one, revocation) stays the framework's. Also says at start, loudly, when keys are stored unencrypted.
/// </summary>
public sealed class SharedKeyRing(
    IKeyManager inner, DataProtectionKeyRepository repository, IOptions<KeyRingOptions> options, TimeProvider clock,
    IHostEnvironment environment, ILogger<SharedKeyRing> logger, bool keysEncrypted) : BackgroundService, IKeyManager
{
    CancellationTokenSource changed = new();
    long seen = -1;

    public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate) => inner.CreateNewKey(activationDate, expirationDate);

    public IReadOnlyCollection<IKey> GetAllKeys() => inner.GetAllKeys();

    /// <summary>Fires when this host changed the ring (the framework's own token) or another host did (seen in the table).</summary>
    public CancellationToken GetCacheExpirationToken() =>
        CancellationTokenSource.CreateLinkedTokenSource(inner.GetCacheExpirationToken(), Volatile.Read(ref changed).Token).Token;

    public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => inner.RevokeAllKeys(revocationDate, reason);

    public void RevokeKey(Guid keyId, string? reason = null) => inner.RevokeKey(keyId, reason);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!keysEncrypted)
            logger.Log(environment.IsDevelopment() ? LogLevel.Information : LogLevel.Warning,
                "Data-protection keys are stored in the database WITHOUT encryption: anyone who can read the table can forge staff sessions. " +
                "Configure DataProtection:CertificatePath (with DataProtection:CertificatePassword) or DataProtection:CertificateThumbprint.");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, clock);
        do
        {
            try
            {
                var latest = await repository.LatestAsync(stoppingToken);
                if (seen >= 0 && latest != seen)
                {
                    logger.LogInformation("The shared key ring changed on another host; reloading it");
                    Interlocked.Exchange(ref changed, new CancellationTokenSource()).Cancel();
                }
                seen = latest;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // The ring in memory keeps working; the next tick looks again.
                logger.LogWarning(e, "Could not look for new data-protection keys");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
