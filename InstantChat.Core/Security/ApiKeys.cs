using System.Security.Cryptography;
using System.Text;

namespace InstantChat.Core.Security;

public static class Roles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";
    public static readonly IReadOnlyList<string> All = [Admin, Viewer];
}

/// <summary>A stored API key: its SHA-256 hash, never the key itself.</summary>
public sealed record ApiKey(string KeyId, string Name, string Role, string Hash, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

public interface IApiKeyStore
{
    Task CreateAsync(ApiKey key, CancellationToken cancellationToken);
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken);
    Task TouchAsync(string keyId, DateTimeOffset usedAt, CancellationToken cancellationToken);
}

public static class ApiKeySecrets
{
    public const string Prefix = "ick_";

    /// <summary>32 random bytes, URL-safe; the prefix makes a leaked key easy to recognise and scan for.</summary>
    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Keys are 256-bit random, so a plain SHA-256 is enough to store them (no salt or stretching
    /// is needed against guessing); lookups by hash stay O(1).
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
