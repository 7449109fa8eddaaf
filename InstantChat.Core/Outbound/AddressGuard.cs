using System.Net;
using System.Net.Sockets;

namespace InstantChat.Core.Outbound;

/// <summary>
/// SSRF protection: a destination may not reach this host, its network or a cloud metadata service
/// unless DESTINATIONS_ALLOW_PRIVATE=true. Checked when connecting (the addresses DNS gives at that
/// moment are the ones dialled, so a name that changes to a private address after it was saved is
/// refused too), and for literal addresses when a destination is saved.
/// </summary>
public static class AddressGuard
{
    static readonly (IPAddress Network, int Bits)[] Forbidden =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT (and Alibaba's metadata, 100.100.100.200)
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local: AWS, GCP and Azure metadata at 169.254.169.254
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, broadcast
        (IPAddress.Parse("::"), 128),           // unspecified
        (IPAddress.Parse("::1"), 128),          // loopback
        (IPAddress.Parse("64:ff9b::"), 96),     // NAT64 of any IPv4 address (checked as IPv4 below too)
        (IPAddress.Parse("fc00::"), 7),         // unique local (AWS's IPv6 metadata fd00:ec2::254 among them)
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("ff00::"), 8),         // multicast
    ];

    /// <summary>True for an address a destination may not reach by default.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var (network, bits) in Forbidden)
            if (network.AddressFamily == address.AddressFamily && InNetwork(address, network, bits)) return true;
        return false;
    }

    static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        network.TryWriteBytes(n, out _);
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }

    /// <summary>
    /// The connection every destination request goes through: resolve, drop the forbidden
    /// addresses (unless allowed), dial what is left. Refused when nothing is left.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = allowPrivate ? addresses : addresses.Where(a => !IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
            throw new DestinationRefusedException(
                $"{endpoint.Host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: loopback, private, link-local or metadata addresses are refused (DESTINATIONS_ALLOW_PRIVATE=true allows them)");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The destination's address is one it may not reach (SSRF protection).</summary>
public sealed class DestinationRefusedException(string message) : Exception(message);
