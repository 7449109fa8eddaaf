using System.Buffers;
using System.Security.Cryptography;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Ingest;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Ingest;

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
    /// <summary>A subscription's secret matched, but the body could be read two ways (duplicate names, odd entries).</summary>
    Ambiguous,
    /// <summary>A subscription's secret matched, but an entry belongs to an account outside that secret's subscriptions.</summary>
    ForeignAccount,
}

/// <summary>
/// The verdict on one delivery, and what it vouches for: <paramref name="Vouched"/> is null when an
/// app secret (or no check at all) accepted it — any account — else the accounts of the
/// subscriptions whose shared secret signed it.
/// </summary>
public readonly record struct SignatureResult(SignatureCheck Check, IReadOnlySet<string>? Vouched = null, string? Detail = null)
{
    public bool Accepted => Check is SignatureCheck.Valid or SignatureCheck.AllowedUnsigned;
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

    public SignatureCheck Verify(ReadOnlyMemory<byte> body, string? header) => VerifyDelivery(new ReadOnlySequence<byte>(body), header).Check;

    /// <summary>Verifies the body where it lies (the chunks it arrived in), so nothing unsigned is ever copied.</summary>
    public SignatureResult VerifyDelivery(in ReadOnlySequence<byte> body, string? header)
    {
        var headerCheck = CheckHeader(header);
        if (headerCheck != SignatureCheck.Valid) return new(headerCheck);

        Span<byte> expected = stackalloc byte[32];
        TryParseHeader(header!, expected);
        Span<byte> actual = stackalloc byte[32];
        var match = false;
        foreach (var secret in _secrets)
        {
            Hmac(secret, body, actual);
            // No early exit: every secret is tried so timing does not tell which one matched.
            match |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        if (match) return new(SignatureCheck.Valid);
        return _subscriptions?.HasSecrets == true ? VerifySubscriptionSecret(body, expected) : new(SignatureCheck.Mismatch);
    }

    /// <summary>
    /// A subscription's secret signs only its own accounts' deliveries (one Meta app may own several
    /// accounts): it counts when the body is unambiguous and every entry belongs to an account whose
    /// subscription has that same secret. A body with no envelope to read names no account, so any
    /// subscription secret may sign it; it is kept as a failed event rather than refused.
    /// </summary>
    SignatureResult VerifySubscriptionSecret(in ReadOnlySequence<byte> body, ReadOnlySpan<byte> expected)
    {
        var reading = EnvelopeAccounts.Read(body);
        // An ambiguous body says nothing reliable about its accounts: every secret is a candidate,
        // so the answer to an unsigned probe does not reveal that the body was found ambiguous.
        var candidates = reading.Accounts.Count == 0 || reading.Ambiguity is not null
            ? _subscriptions!.SecretsFor(_subscriptions.AllAccounts)
            : _subscriptions!.SecretsFor(reading.Accounts);
        Span<byte> actual = stackalloc byte[32];
        IReadOnlySet<string>? signer = null;
        foreach (var (secret, owners) in candidates)
        {
            Hmac(secret, body, actual);
            if (CryptographicOperations.FixedTimeEquals(actual, expected)) signer = owners;
        }
        if (signer is null) return new(SignatureCheck.Mismatch);
        if (reading.Ambiguity is { } why) return new(SignatureCheck.Ambiguous, Detail: why);
        return reading.Accounts.All(signer.Contains)
            ? new(SignatureCheck.Valid, signer)
            : new(SignatureCheck.ForeignAccount, Detail: "an entry belongs to an account outside the signing subscription's");
    }

    static void Hmac(byte[] secret, in ReadOnlySequence<byte> body, Span<byte> output)
    {
        if (body.IsSingleSegment)
        {
            HMACSHA256.HashData(secret, body.FirstSpan, output);
            return;
        }
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        foreach (var segment in body) hmac.AppendData(segment.Span);
        hmac.GetHashAndReset(output);
    }

    /// <summary>Exactly <c>sha256=</c> followed by 64 hex digits of either case; nothing else.</summary>
    public static bool TryParseHeader(string header, Span<byte> digest)
    {
        if (header.Length != Prefix.Length + 64 || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        return Convert.FromHexString(header.AsSpan(Prefix.Length), digest, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32;
    }
}
