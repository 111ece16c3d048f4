using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Access;
using Rebooking.Api.Access;
using Rebooking.Data;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Access;

/// <summary>How one host learns that another host added a data-protection key, without waiting for the framework's daily reload.</summary>
public sealed class SharedKeyRingTests
{
    [Test]
    public async Task AKeyStoredByAnotherHost_ExpiresThisHostsCachedRing_WithinTheRefreshInterval_AndNothingElseDoes()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await database.Migrator().MigrateAsync();
        var ring = new SharedKeyRing(new IdleKeyManager(), new DataProtectionKeyRepository(database.Db(), TimeProvider.System),
            Options.Create(new KeyRingOptions { RefreshInterval = TimeSpan.FromMilliseconds(200) }), TimeProvider.System,
            new HostingEnvironment { EnvironmentName = "Production" }, NullLogger<SharedKeyRing>.Instance, keysEncrypted: true);
        await ring.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(500);
            var cached = ring.GetCacheExpirationToken();
            await Task.Delay(700);
            Assert.That(cached.IsCancellationRequested, Is.False, "an unchanged table keeps the ring");

            new DataProtectionKeyRepository(database.Db(), TimeProvider.System)
                .StoreElement(new System.Xml.Linq.XElement("key", new System.Xml.Linq.XAttribute("id", Guid.NewGuid())), "key-other-host");
            var until = DateTime.UtcNow.AddSeconds(5);
            while (!cached.IsCancellationRequested && DateTime.UtcNow < until) await Task.Delay(50);

            Assert.That(cached.IsCancellationRequested, Is.True, "the key from the other host expires the cached ring");
            Assert.That(ring.GetCacheExpirationToken().IsCancellationRequested, Is.False, "the reloaded ring is cached again");
        }
        finally
        {
            await ring.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The framework's key manager of a host that adds no keys itself: its own expiration token never fires.</summary>
    sealed class IdleKeyManager : IKeyManager
    {
        public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate) => throw new NotSupportedException();
        public IReadOnlyCollection<IKey> GetAllKeys() => [];
        public CancellationToken GetCacheExpirationToken() => CancellationToken.None;
        public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => throw new NotSupportedException();
        public void RevokeKey(Guid keyId, string? reason = null) => throw new NotSupportedException();
    }
}
