using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Subscriptions;

/// <summary>
/// Subscription secrets and verify tokens at rest: sealed with ASP.NET Core Data Protection
/// (authenticated encryption; keys rotate every 90 days and old ones keep opening older values),
/// with the key ring the host keeps beside its data (<see cref="Security.DataProtectionKeys"/>).
/// The stores seal on write and open on read, so everything above them sees clear values (the
/// directory needs them for HMACs). A value without the prefix is a row from before sealing: it is
/// read as it is and sealed at start (<see cref="ISubscriptionStore.SealPlaintextSecretsAsync"/>).
/// </summary>
public sealed partial class SecretsAtRest(IDataProtectionProvider provider, ILogger<SecretsAtRest> logger)
{
    const string Prefix = "dp1:";
    readonly IDataProtector _protector = provider.CreateProtector("InstantChat.Subscriptions.WebhookConfig");

    public string? Seal(string? clear) => clear is null ? null : Prefix + _protector.Protect(clear);

    public static bool IsSealed(string? stored) => stored is null || stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The value as the store should hold it now: sealed (unchanged when it already is).</summary>
    public string? Resealed(string? stored) => IsSealed(stored) ? stored : Seal(stored);

    /// <summary>The clear value; null when it cannot be opened (a lost or foreign key ring): fail closed, never the sealed text as a secret.</summary>
    public string? Open(string? stored, string subscriptionId)
    {
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal)) return stored; // unset, or plain text from before
        try
        {
            return _protector.Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException ex)
        {
            LogUnreadable(subscriptionId, ex.Message);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Error, "Subscription {SubscriptionId}: a stored secret or verify token cannot be opened ({Error}); it is treated as unset until saved again. Was the key ring (DATA_DIR/keys, or the dataprotection_keys collection) lost or replaced?")]
    partial void LogUnreadable(string subscriptionId, string error);
}
