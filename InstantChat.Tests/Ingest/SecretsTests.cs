using InstantChat.Core.Ingest;

namespace InstantChat.Tests.Ingest;

public sealed class SecretsTests
{
    [Theory]
    [InlineData("token", "token", true)]
    [InlineData("token", "Token", false)]
    [InlineData("token", "token2", false)]
    [InlineData("", "", false)]
    [InlineData(null, "token", false)]
    [InlineData("token", null, false)]
    public void FixedTimeEquals_Pairs_ComparesExactly(string? presented, string? expected, bool equal) =>
        Assert.Equal(equal, Secrets.FixedTimeEquals(presented, expected));
}
