using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Rebooking.Data;

namespace Rebooking.Access;

/// <summary>
/// Stores the ASP.NET Core data-protection key ring in our own database (<c>data_protection_keys</c>), so
/// every Api host behind the load balancer reads the same keys: a session cookie or an antiforgery token
/// issued by one host is accepted by every other. Elements are stored as the framework hands them over
/// (encrypted with the configured certificate, or plain when none is configured).
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous. The framework calls it when a host builds or refreshes its
/// key ring (at start, when a key is created, and at most once a day otherwise), never per request, so
/// waiting on the connection here costs no request thread.
/// </remarks>
public sealed class DataProtectionKeyRepository(Db db, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Run(async () =>
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<string>(DataProtectionKeySql.All);
        return (IReadOnlyCollection<XElement>)rows.Select(xml => XElement.Parse(xml)).ToList();
    });

    public void StoreElement(XElement element, string friendlyName) => Run(async () =>
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteAsync(DataProtectionKeySql.Insert,
            new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = clock.GetUtcNow() });
    });

    /// <summary>The id of the newest stored element (0 when none): it changes whenever any host adds a key or a revocation.</summary>
    public async Task<long> LatestAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(DataProtectionKeySql.Latest);
    }

    // Off the caller's synchronisation context, so the wait cannot deadlock whatever thread the framework calls from.
    static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
