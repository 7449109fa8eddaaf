using System.Security.Cryptography;
using StandardWebhooks;

namespace InstantChat.Core.Outbound;

/// <summary>
/// Standard Webhooks signatures, with the StandardWebhooks package: <c>v1,</c> + base64
/// HMAC-SHA256 of <c>id.timestamp.body</c> under the <c>whsec_</c> secret. During a rotation both
/// secrets sign (space-separated, as the specification allows), so a receiver with either verifies.
/// </summary>
public static class OutboundSigner
{
    public const string Prefix = "whsec_";

    /// <summary>A new secret: 32 random bytes, base64, with the <c>whsec_</c> prefix.</summary>
    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(IEnumerable<string> secrets, string messageId, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(s => new StandardWebhook(s).Sign(messageId, timestamp, body)));
}
