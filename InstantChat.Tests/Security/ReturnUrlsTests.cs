using InstantChat.Web.Auth;

namespace InstantChat.Tests.Security;

public sealed class ReturnUrlsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/events?status=failed&q=x", "/events?status=failed&q=x")]
    [InlineData("/events?q=caf\u00e9 2", "/events?q=caf%C3%A9%202")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/\\t/evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData("%2F%5Cevil.example", "/")]
    [InlineData("/ok\r\nSet-Cookie: x=1", "/")]
    [InlineData("/ok\u0085", "/")]
    [InlineData("/ok\u0000/evil", "/")]
    [InlineData("evil.example", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void LocalOrRoot_Variant_IsAPathOnThisSiteOrTheRoot(string? url, string expected) =>
        Assert.Equal(expected, ReturnUrls.LocalOrRoot(url));
}
