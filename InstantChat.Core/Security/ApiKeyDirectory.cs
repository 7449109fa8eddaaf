using System.Collections.Concurrent;
using System.Collections.Frozen;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Security;

/// <summary>
/// API keys by hash, in memory: every authenticated request looks its key up here, not in the
/// store. Reloaded after a local change and every few seconds (keys revoked on another host stop
/// working within that time). Last use is written at most once a minute per key.
/// </summary>
public sealed partial class ApiKeyDirectory(IApiKeyStore store, TimeProvider clock, ILogger<ApiKeyDirectory> logger) : StoreMirror(clock, logger)
{
    static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);
    volatile FrozenDictionary<string, ApiKey> _byHash = FrozenDictionary<string, ApiKey>.Empty;
    readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new();

    public ApiKey? Find(string presentedKey)
    {
        if (!presentedKey.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal)) return null;
        // A hash lookup: the comparison is between hashes of 256-bit secrets, so timing reveals nothing usable.
        if (!_byHash.TryGetValue(ApiKeySecrets.Hash(presentedKey), out var key)) return null;
        var now = Clock.GetUtcNow();
        if (!_touched.TryGetValue(key.KeyId, out var last) || now - last > TouchEvery)
        {
            _touched[key.KeyId] = now;
            _ = TouchAsync(key.KeyId, now);
        }
        return key;
    }

    /// <summary>Whether the key is still issued (not revoked), as of the last reload.</summary>
    public bool IsIssued(string keyId) => _byHash.Values.Any(k => k.KeyId == keyId);

    async Task TouchAsync(string keyId, DateTimeOffset at)
    {
        try { await store.TouchAsync(keyId, at, CancellationToken.None); }
        catch (StoreUnavailableException ex) { LogTouchFailed(Logger, ex.Message); }
    }

    public override async Task ReloadAsync(CancellationToken cancellationToken) =>
        _byHash = (await store.ListAsync(cancellationToken)).ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal);

    [LoggerMessage(LogLevel.Warning, "Recording an API key's last use failed: {Error}")]
    static partial void LogTouchFailed(ILogger logger, string error);
}
