using System.Collections.Frozen;
using InstantChat.Core.Ingest;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Subscriptions;

/// <summary>
/// The subscriptions the hot paths consult (signature, verification, processing), held in memory:
/// reloaded at once after a local change and every few seconds for changes made on other hosts.
/// </summary>
public sealed partial class SubscriptionDirectory(ISubscriptionStore store, TimeProvider clock, ILogger<SubscriptionDirectory> logger) : StoreMirror(clock, logger)
{
    volatile FrozenDictionary<string, WebhookSubscription> _byAccount = FrozenDictionary<string, WebhookSubscription>.Empty;
    bool _sealed;

    public WebhookSubscription? ForAccount(string? accountId) => accountId is null ? null : _byAccount.GetValueOrDefault(accountId);

    public bool Any => _byAccount.Count > 0;

    /// <summary>Per-account claim limits (each subscription's batch size).</summary>
    public IReadOnlyDictionary<string, int>? BatchSizes { get; private set; }

    /// <summary>The app secrets of the subscriptions of these accounts (each distinct secret once).</summary>
    public IReadOnlyList<(byte[] Secret, IReadOnlySet<string> Accounts)> SecretsFor(IEnumerable<string?> accounts) =>
        accounts.Select(ForAccount).OfType<WebhookSubscription>().Where(s => !string.IsNullOrEmpty(s.WebhookConfig.Secret))
            .GroupBy(s => s.WebhookConfig.Secret!, StringComparer.Ordinal)
            .Select(g => (System.Text.Encoding.UTF8.GetBytes(g.Key), (IReadOnlySet<string>)g.Select(s => s.InstagramAccountId).ToHashSet()))
            .ToList();

    public IEnumerable<string?> AllAccounts => _byAccount.Keys;

    public bool HasSecrets => _byAccount.Values.Any(s => !string.IsNullOrEmpty(s.WebhookConfig.Secret));

    /// <summary>Constant-time against every subscription's token: no early exit tells which matched.</summary>
    public bool MatchesVerifyToken(string? token)
    {
        var match = false;
        foreach (var s in _byAccount.Values)
            match |= Secrets.FixedTimeEquals(token, s.WebhookConfig.VerifyToken);
        return match;
    }

    public override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        // Rows stored in plain text before secrets were sealed: sealed by the first load that reaches
        // the store (at start, or once an unreachable MongoDB answers). Each host tries once; it is idempotent.
        if (!_sealed)
        {
            try
            {
                if (await store.SealPlaintextSecretsAsync(cancellationToken) is > 0 and var sealedRows) LogSealed(Logger, sealedRows);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                // No usable key ring (say, DATA_DIR/keys not writable): the rows stay readable as they are; not a reason to stop the host.
                LogNotSealed(Logger, ex.Message);
            }
            _sealed = true;
        }
        var all = (await store.ListAsync(cancellationToken)).ToFrozenDictionary(s => s.InstagramAccountId, StringComparer.Ordinal);
        BatchSizes = all.Count == 0 ? null : all.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ProcessingConfig.BatchSize, StringComparer.Ordinal);
        _byAccount = all;
    }

    [LoggerMessage(LogLevel.Information, "Sealed the secrets and verify tokens of {Count} subscriptions stored in plain text")]
    static partial void LogSealed(ILogger logger, int count);

    [LoggerMessage(LogLevel.Error, "Could not seal the plain-text subscription secrets ({Error}); they stay as they are until the next start")]
    static partial void LogNotSealed(ILogger logger, string error);
}
