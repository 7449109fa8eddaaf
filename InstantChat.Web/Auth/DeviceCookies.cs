using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace InstantChat.Web.Auth;

/// <summary>
/// OWASP's "device cookies": after a successful sign-in the browser gets a long-lived,
/// data-protected cookie naming the user. An attempt that presents it for that same username is
/// throttled on the device's own key only, so an attacker's failures from elsewhere (which throttle
/// the username and the attacker's addresses) never slow the real user's browser down.
/// </summary>
public sealed class DeviceCookies(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Name = "instantchat.device";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);
    readonly IDataProtector _protector = protection.CreateProtector("InstantChat.Web.DeviceCookie.v1");

    /// <summary>The throttle keys of a sign-in attempt: the device's own when its cookie vouches for this username; else the client address's and the username's.</summary>
    public string[] ThrottleKeys(HttpContext http, string username) => DeviceId(http.Request, username) is { } device
        ? [$"device:{device}"]
        : [$"address:{AddressKey(http.Connection.RemoteIpAddress)}", $"user:{username}"];

    public void Issue(HttpContext http, string username)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        var device = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var value = _protector.Protect(string.Join('\n', username, device, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        http.Response.Cookies.Append(Name, value, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/account/login", Expires = expires, IsEssential = true,
        });
    }

    string? DeviceId(HttpRequest request, string username)
    {
        if (request.Cookies[Name] is not { Length: > 0 and <= 1024 } value) return null;
        try
        {
            // username \n device id \n expiry (Unix seconds); usernames never contain a line feed.
            return _protector.Unprotect(value).Split('\n') is [var user, var device, var expires]
                   && user == username
                   && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until)
                   && clock.GetUtcNow().ToUnixTimeSeconds() < until
                ? device
                : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>IPv6 clients by their /64, the block one subscriber usually gets: another address of it is no other client.</summary>
    static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
