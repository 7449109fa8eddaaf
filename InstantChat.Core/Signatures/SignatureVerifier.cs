using System.Security.Cryptography;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Signatures;

public enum SignatureCheck
{
    /// <summary>The HMAC matches one of the configured secrets.</summary>
    Valid,
    /// <summary>No secret is configured but WEBHOOK_ALLOW_UNSIGNED=true.</summary>
    AllowedUnsigned,
    /// <summary>No secret is configured: fail closed.</summary>
    NoSecret,
    Missing,
    Malformed,
    Mismatch,
}

/// <summary>
/// Checks Meta's <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c> over the raw body bytes against every
/// configured app secret, in constant time.
/// </summary>
public sealed class SignatureVerifier
{
    public const string HeaderName = "X-Hub-Signature-256";
    const string Prefix = "sha256=";
    readonly byte[][] _secrets;
    readonly bool _allowUnsigned;
    readonly SubscriptionDirectory? _subscriptions;

    public SignatureVerifier(IOptions<WebhookOptions> options, SubscriptionDirectory? subscriptions = null)
    {
        _secrets = options.Value.AppSecrets().ToArray();
        _allowUnsigned = options.Value.AllowUnsigned;
        _subscriptions = subscriptions;
    }

    public bool HasSecrets => _secrets.Length > 0 || _subscriptions?.HasSecrets == true;

    /// <summary>What can be decided before the body is read: a missing or garbled header needs no bytes.</summary>
    public SignatureCheck CheckHeader(string? header)
    {
        if (!HasSecrets) return _allowUnsigned ? SignatureCheck.AllowedUnsigned : SignatureCheck.NoSecret;
        if (string.IsNullOrEmpty(header)) return SignatureCheck.Missing;
        Span<byte> digest = stackalloc byte[32];
        return TryParseHeader(header, digest) ? SignatureCheck.Valid : SignatureCheck.Malformed;
    }

    public SignatureCheck Verify(ReadOnlySpan<byte> body, string? header)
    {
        var headerCheck = CheckHeader(header);
        if (headerCheck != SignatureCheck.Valid) return headerCheck;

        Span<byte> expected = stackalloc byte[32];
        TryParseHeader(header!, expected);
        Span<byte> actual = stackalloc byte[32];
        var match = false;
        foreach (var secret in _secrets)
        {
            HMACSHA256.HashData(secret, body, actual);
            // No early exit: every secret is tried so timing does not tell which one matched.
            match |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        if (match) return SignatureCheck.Valid;
        return _subscriptions?.HasSecrets == true && MatchesSubscriptionSecret(body, expected) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>
    /// A subscription's secret signs only its own account's deliveries: it counts when every entry
    /// of the delivery belongs to an account whose subscription has that same secret (one Meta app,
    /// several accounts). A body with no readable entries is attributed to any subscription secret
    /// that signed it, so it is still kept as a failed event rather than refused.
    /// </summary>
    bool MatchesSubscriptionSecret(ReadOnlySpan<byte> body, ReadOnlySpan<byte> expected)
    {
        var accounts = EntryAccounts.Read(body);
        var candidates = accounts is null
            ? _subscriptions!.SecretsFor(_subscriptions.AllAccounts)
            : _subscriptions!.SecretsFor(accounts);
        Span<byte> actual = stackalloc byte[32];
        var match = false;
        foreach (var (secret, owners) in candidates)
        {
            HMACSHA256.HashData(secret, body, actual);
            match |= CryptographicOperations.FixedTimeEquals(actual, expected) && (accounts is null || accounts.All(owners.Contains));
        }
        return match;
    }

    /// <summary>Exactly <c>sha256=</c> followed by 64 hex digits of either case; nothing else.</summary>
    public static bool TryParseHeader(string header, Span<byte> digest)
    {
        if (header.Length != Prefix.Length + 64 || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        return Convert.FromHexString(header.AsSpan(Prefix.Length), digest, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32;
    }
}
