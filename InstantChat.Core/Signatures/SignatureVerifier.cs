using System.Security.Cryptography;
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

    public SignatureVerifier(IOptions<WebhookOptions> options)
    {
        _secrets = options.Value.AppSecrets().ToArray();
        _allowUnsigned = options.Value.AllowUnsigned;
    }

    public bool HasSecrets => _secrets.Length > 0;

    /// <summary>What can be decided before the body is read: a missing or garbled header needs no bytes.</summary>
    public SignatureCheck CheckHeader(string? header)
    {
        if (_secrets.Length == 0) return _allowUnsigned ? SignatureCheck.AllowedUnsigned : SignatureCheck.NoSecret;
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
        return match ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>Exactly <c>sha256=</c> followed by 64 hex digits of either case; nothing else.</summary>
    public static bool TryParseHeader(string header, Span<byte> digest)
    {
        if (header.Length != Prefix.Length + 64 || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        return Convert.FromHexString(header.AsSpan(Prefix.Length), digest, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32;
    }
}
