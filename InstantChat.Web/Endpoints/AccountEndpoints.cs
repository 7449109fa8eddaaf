using System.Security.Claims;
using InstantChat.Core.Security;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SignInResult = InstantChat.Core.Security.SignInResult;

namespace InstantChat.Web.Endpoints;

/// <summary>Cookie sign-in and sign-out for the dashboard (form posts from /login, antiforgery-checked).</summary>
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
        HttpContext http, UserService users, ILogger<KeyAudit> audit, CancellationToken ct)
    {
        var target = returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//") ? r : "/";
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
            return TypedResults.LocalRedirect($"/login?error=missing&returnUrl={Uri.EscapeDataString(target)}");
        var (result, user) = await users.SignInAsync(username, password, ct);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        if (result != SignInResult.Success || user is null)
        {
            LogFailed(audit, username.Trim().ToLowerInvariant(), ip, result);
            return TypedResults.LocalRedirect($"/login?error={(result == SignInResult.LockedOut ? "locked" : "invalid")}&returnUrl={Uri.EscapeDataString(target)}");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.UserId), new Claim(ClaimTypes.Name, user.Username), new Claim(ClaimTypes.Role, user.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        LogSignedIn(audit, user.Username, ip);
        return TypedResults.LocalRedirect(target);
    }

    static async Task<IResult> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/login");
    }

    [LoggerMessage(LogLevel.Information, "Audit: {User} signed in from {Ip}")]
    static partial void LogSignedIn(ILogger logger, string user, string? ip);

    [LoggerMessage(LogLevel.Warning, "Audit: failed sign-in for {User} from {Ip}: {Result}")]
    static partial void LogFailed(ILogger logger, string user, string? ip, SignInResult result);
}
