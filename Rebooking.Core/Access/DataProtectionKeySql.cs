namespace Rebooking.Access;

/// <summary>The statements behind the shared data-protection key ring (<see cref="DataProtectionKeyRepository"/>).</summary>
static class DataProtectionKeySql
{
    // Every stored element, oldest first, so the framework reads keys and their revocations in the order they were written.
    public const string All = "SELECT xml FROM data_protection_keys ORDER BY id";

    // Append only: the framework never rewrites an element; a revocation is a new element.
    public const string Insert = """
        INSERT INTO data_protection_keys (friendly_name, xml, created_at)
        VALUES (@FriendlyName, @Xml, @CreatedAt)
        """;

    // The newest row's id, 0 for none: it changes whenever any host adds a key or a revocation.
    public const string Latest = "SELECT COALESCE(MAX(id), 0) FROM data_protection_keys";
}
