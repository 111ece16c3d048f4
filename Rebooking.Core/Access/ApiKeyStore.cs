using System.Security.Cryptography;
using System.Text;
using Dapper;
using FluentValidation;
using Rebooking.Data;
using Rebooking.Tenants;

namespace Rebooking.Access;

/// <summary>Body of <c>POST /api/apikeys</c>.</summary>
public sealed record CreateApiKeyRequest(string? Role, string? Tenant, string? Label);

public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator()
    {
        RuleFor(r => r.Role).NotEmpty().Must(Roles.IsKeyRole).WithMessage("'role' must be admin, clerk, supervisor or integration.");
        RuleFor(r => r.Tenant).NotEmpty()
            .Must(t => t == Roles.AllTenants || TenantSlug.IsValid(t)).WithMessage("'tenant' must be a tenant slug or '*'.");
        RuleFor(r => r.Tenant).Must((r, t) => t != Roles.AllTenants || r.Role == Roles.Admin)
            .WithMessage("Only admin keys may be valid for all tenants ('*').");
        RuleFor(r => r.Label).NotEmpty().MaximumLength(200);
    }
}

/// <summary>A stored key, without its secret.</summary>
public sealed class ApiKey
{
    public string Id { get; init; } = "";
    public string Role { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string Label { get; init; } = "";
    public DateTimeOffset? LastUsedAt { get; init; }
    internal byte[] KeyHash { get; init; } = [];
}

/// <summary>
/// Issues and checks API keys. A key is 32 random bytes, base64url, prefixed <c>rbk_</c>; the database
/// keeps only its SHA-256. The row is found by an id derived from that hash and the full hash is then
/// compared in constant time, so a configured key of any form (<c>Demo:AdminApiKey</c>) works the same way.
/// </summary>
public sealed class ApiKeyStore(Db db, Audit audit, TimeProvider clock)
{
    /// <summary>How stale <c>last_used_at</c> may get before a request writes it again.</summary>
    static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);

    public static string NewSecret() => "rbk_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The public id: the first 16 hex digits of the key's hash.</summary>
    public static string IdOf(string key) => Convert.ToHexStringLower(Hash(key))[..16];

    /// <summary>Stores a new key and returns its id and its secret, which is not kept anywhere.</summary>
    public async Task<(string Id, string Key)> CreateAsync(string role, string tenantId, string label, string actor, CancellationToken ct = default)
    {
        var key = NewSecret();
        var id = IdOf(key);
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(ApiKeySql.Insert, new
            {
                Id = id, KeyHash = Hash(key), Role = role, TenantId = tenantId, Label = label,
                CreatedAt = clock.GetUtcNow(), CreatedBy = actor,
            }, transaction);
            await audit.RecordAsync(connection, transaction, actor, tenantId == Roles.AllTenants ? null : tenantId,
                "apikey.created", id, $"{role} '{label}'");
        }, ct);
        return (id, key);
    }

    /// <summary>
    /// Stores the first admin key for all tenants if the database has no key at all. Returns the key when
    /// one was created (the configured one, or a new random one), null when keys already existed.
    /// </summary>
    public Task<string?> EnsureBootstrapAdminAsync(string? configuredKey, CancellationToken ct = default) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteScalarAsync<int>(ApiKeySql.Count, transaction: transaction) > 0) return null;
            var key = string.IsNullOrWhiteSpace(configuredKey) ? NewSecret() : configuredKey;
            await connection.ExecuteAsync(ApiKeySql.Insert, new
            {
                Id = IdOf(key), KeyHash = Hash(key), Role = Roles.Admin, TenantId = Roles.AllTenants,
                Label = "Bootstrap admin", CreatedAt = clock.GetUtcNow(), CreatedBy = "system",
            }, transaction);
            return key;
        }, ct, System.Data.IsolationLevel.Serializable);

    /// <summary>The key presented in a request, or null when it is unknown, wrong or revoked.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 200) return null;
        var hash = Hash(presented);
        await using var connection = await db.OpenAsync(ct);
        var key = await connection.QuerySingleOrDefaultAsync<ApiKey>(ApiKeySql.SelectActive, new { Id = Convert.ToHexStringLower(hash)[..16] });
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.KeyHash, hash)) return null;
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
            await connection.ExecuteAsync(ApiKeySql.TouchLastUsed, new { key.Id, Now = now });
        return key;
    }

    static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

internal static class ApiKeySql
{
    public const string Insert = """
        INSERT INTO api_keys (id, key_hash, role, tenant_id, label, created_at, created_by)
        VALUES (@Id, @KeyHash, @Role, @TenantId, @Label, @CreatedAt, @CreatedBy)
        """;

    public const string Count = "SELECT COUNT(*) FROM api_keys";

    public const string SelectActive = """
        SELECT id AS Id, key_hash AS KeyHash, role AS Role, tenant_id AS TenantId, label AS Label, last_used_at AS LastUsedAt
        FROM api_keys WHERE id = @Id AND revoked_at IS NULL
        """;

    public const string TouchLastUsed = "UPDATE api_keys SET last_used_at = @Now WHERE id = @Id";
}
