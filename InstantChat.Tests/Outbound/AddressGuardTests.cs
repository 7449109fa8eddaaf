using System.Net;
using InstantChat.Core.Outbound;

namespace InstantChat.Tests.Outbound;

public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.3.4")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void IsForbidden_InternalAddress_True(string address) => Assert.True(AddressGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    public void IsForbidden_PublicAddress_False(string address) => Assert.False(AddressGuard.IsForbidden(IPAddress.Parse(address)));

    [Fact]
    public async Task Connect_NameResolvingToLoopback_RefusedWhenSending()
    {
        // A name, not an address: only the connection (after DNS) can tell where it leads.
        var refused = await Assert.ThrowsAsync<DestinationRefusedException>(async () =>
            await AddressGuard.ConnectAsync(new DnsEndPoint("localhost", 9), allowPrivate: false, TestContext.Current.CancellationToken));

        Assert.Contains("DESTINATIONS_ALLOW_PRIVATE", refused.Message);
    }
}
