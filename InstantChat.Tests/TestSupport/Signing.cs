using System.Security.Cryptography;
using System.Text;

namespace InstantChat.Tests.TestSupport;

public static class Signing
{
    public const string Secret = "test-app-secret";
    public const string OtherSecret = "test-meta-app-secret";

    public static string Header(byte[] body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static HttpRequestMessage SignedPost(byte[] body, string secret = Secret, string contentType = "application/json", string path = "/api/webhooks/instagram")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", Header(body, secret));
        return request;
    }
}
