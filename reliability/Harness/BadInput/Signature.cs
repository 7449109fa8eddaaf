using System.Security.Cryptography;
using System.Text;
using Reliability.Common;

namespace Reliability;

// Signature variants: only a correct HMAC-SHA256 in either hex case passes; every other form is a 401.
static partial class BadInput
{
    static IEnumerable<Case> SignatureCases(Context ctx)
    {
        string Hex(byte[] body, string secret = Product.Secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        Case Refused(string name, Func<byte[], Action<HttpRequestMessage>> sign) => new("signature", name, "401, nothing stored", async () =>
        {
            var account = ctx.NewAccount();
            var body = Message(account, ctx.NewMid(), "signed wrongly");
            var status = await PostAsync(ctx, body, sign(body));
            if (status != 401) return $"got {status}";
            return await NothingStoredAsync(ctx, account);
        });

        yield return new("signature", "lowercase hex (Meta's own form)", "200, stored", () => ExpectNormalAsync(ctx, "lowercase", ctx.NewAccount()));
        yield return new("signature", "uppercase hex", "200, stored (README: 64 hex digits, either case)", async () =>
        {
            var account = ctx.NewAccount();
            var body = Message(account, ctx.NewMid(), "uppercase signature");
            var status = await PostAsync(ctx, body, r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(body).ToUpperInvariant()));
            return status != 200 ? $"got {status}" : await StoredAsync(ctx, account, 1);
        });
        yield return new("signature", "surrounding spaces (HTTP optional whitespace)", "200: HTTP strips whitespace around a field value before the app sees it", async () =>
        {
            var account = ctx.NewAccount();
            var body = Message(account, ctx.NewMid(), "ows");
            var status = await PostAsync(ctx, body, r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "  sha256=" + Hex(body) + "  "));
            return status != 200 ? $"got {status}" : await StoredAsync(ctx, account, 1);
        });
        yield return Refused("prefix in uppercase (SHA256=)", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "SHA256=" + Hex(b)));
        yield return Refused("sha1 header only (X-Hub-Signature: sha1=…, correct HMAC-SHA1)", b => r =>
            r.Headers.TryAddWithoutValidation("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Product.Secret), b))));
        yield return Refused("sha1= value in the sha256 header", b => r =>
            r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Product.Secret), b))));
        yield return Refused("space after sha256=", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256= " + Hex(b)));
        yield return Refused("space before =", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256 =" + Hex(b)));
        yield return Refused("space inside the hex", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b)[..32] + " " + Hex(b)[32..]));
        yield return Refused("empty header", _ => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", ""));
        yield return Refused("bare sha256=", _ => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256="));
        yield return Refused("missing header", _ => _ => { });
        yield return Refused("63 hex digits", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b)[..63]));
        yield return Refused("65 hex digits", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b) + "0"));
        yield return Refused("non-hex digit", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b)[..63] + "g"));
        yield return Refused("another app's secret", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b, "some-other-secret")));
        yield return Refused("signature of other bytes (one byte changed after signing)", b => r =>
        {
            var other = (byte[])b.Clone();
            other[^3] ^= 1;
            r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(other));
        });
        yield return Refused("two header values, both correct", b => r =>
        {
            r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b));
            r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b));
        });
        yield return Refused("64 hex digits then a comma and junk", b => r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Hex(b) + ",x"));
    }
}
