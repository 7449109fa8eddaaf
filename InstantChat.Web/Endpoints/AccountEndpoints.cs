using System.Globalization;
using System.Security.Claims;
using InstantChat.Core.Security;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// Cookie sign-in and sign-out for the dashboard (form posts from /login, antiforgery-checked).
/// Unknown user, disabled user and wrong password cost one hash each and get the same answer;
/// repeated failures are slowed down (<see cref="SignInThrottle"/>), never locked.
/// </summary>
public static partial class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").WithTags("Account");
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(AuthenticationSetup.LoginLimit);
        group.MapPost("/logout", (Delegate)LogoutAsync).RequireAuthorization();
        return app;
    }

    static async Task<IResult> LoginAsync([FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, UserService users, SignInThrottle throttle, DeviceCookies devices, SessionCheck sessions,
        ILogger<KeyAudit> audit, CancellationToken ct)
    {
        var target = ReturnUrls.LocalOrRoot(returnUrl);
        IResult BackToLogin(string error) => TypedResults.LocalRedirect($"/login?error={error}&returnUrl={Uri.EscapeDataString(target)}");
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password)) return BackToLogin("missing");
        var name = User.NormalizeName(username);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        // Checked and counted before the password, and alike for every name, so it tells nothing about which exist.
        var keys = devices.ThrottleKeys(http, name);
        if (!throttle.TryStart(keys, out var wait))
        {
            LogThrottled(audit, name, ip);
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return BackToLogin("wait");
        }
        if (await users.SignInAsync(name, password, ct) is not { } user)
        {
            LogFailed(audit, name, ip);
            return BackToLogin("invalid");
        }
        throttle.Succeeded(keys);
        devices.Issue(http, user.Username);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, sessions.PrincipalFor(user));
        LogSignedIn(audit, user.Username, ip);
        return TypedResults.LocalRedirect(target);
    }

    /// <summary>Ends this user's sessions everywhere (a new security stamp), so a copied cookie stops working too.</summary>
    static async Task<IResult> LogoutAsync(HttpContext http, UserService users, CancellationToken ct)
    {
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId) await users.SignOutEverywhereAsync(userId, ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/login");
    }

    [LoggerMessage(LogLevel.Information, "Audit: {User} signed in from {Ip}")]
    static partial void LogSignedIn(ILogger logger, string user, string? ip);

    [LoggerMessage(LogLevel.Warning, "Audit: failed sign-in for {User} from {Ip}")]
    static partial void LogFailed(ILogger logger, string user, string? ip);

    [LoggerMessage(LogLevel.Warning, "Audit: sign-in for {User} from {Ip} refused: too many attempts, throttled")]
    static partial void LogThrottled(ILogger logger, string user, string? ip);
}
