using System.Globalization;
using System.Security.Claims;
using InstantChat.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace InstantChat.Web.Auth;

/// <summary>
/// What a sign-in puts in the cookie, and the check that ends a session: the user still exists, is
/// enabled and has the security stamp the cookie was issued with (any role change, disabling,
/// password reset or sign-out changes it), and the session is younger than <see cref="AbsoluteLifetime"/>
/// however often the sliding expiry renewed it. API keys: the key is still issued. Cookie requests
/// run it on every request; Blazor circuits and hub connections every <see cref="RecheckEvery"/>.
/// </summary>
public sealed class SessionCheck(UserCache users, ApiKeyDirectory keys, TimeProvider clock)
{
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(10);
    public const string StampClaim = "instantchat:stamp";
    public const string SinceClaim = "instantchat:since";
    public const string KeyIdClaim = "instantchat:key";

    public ClaimsPrincipal PrincipalFor(User user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.UserId), new Claim(ClaimTypes.Name, user.Username), new Claim(ClaimTypes.Role, user.Role),
        new Claim(StampClaim, user.SecurityStamp),
        new Claim(SinceClaim, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>False when the principal's session must end; an anonymous principal has nothing to end.</summary>
    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.Identity is not { IsAuthenticated: true } identity) return true;
        // The configured ADMIN_API_KEY carries no key id: it lasts as long as the configuration.
        if (identity.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
            return principal.FindFirstValue(KeyIdClaim) is not { } keyId || keys.IsIssued(keyId);
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId || principal.FindFirstValue(StampClaim) is not { } stamp
            || !long.TryParse(principal.FindFirstValue(SinceClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var since))
            return false;
        if (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(since) >= AbsoluteLifetime) return false;
        return await users.FindAsync(userId, ct) is { Disabled: false } user && string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal);
    }

    /// <summary>For circuits and hub connections: a store outage keeps them (the first check after it decides).</summary>
    public async Task<bool> KeepAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        try
        {
            return await IsValidAsync(principal, ct);
        }
        catch (Core.Storage.StoreUnavailableException)
        {
            return true;
        }
    }

    /// <summary>The cookie handler's hook: a session that must end is refused (401 on the API, /login for pages) and its cookie deleted.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var check = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        if (context.Principal is { } principal && await check.IsValidAsync(principal, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}

/// <summary>
/// A Blazor circuit keeps the authentication state it started with for its whole life: this
/// re-checks it, so an open tab of a demoted, disabled or deleted user loses access.
/// </summary>
sealed class RevalidatingSessionState(ILoggerFactory loggerFactory, SessionCheck check) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => SessionCheck.RecheckEvery;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        check.KeepAsync(authenticationState.User, cancellationToken);
}

public static class SessionSetup
{
    public static IServiceCollection AddSessionChecks(this IServiceCollection services)
    {
        services.AddSingleton<SessionCheck>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingSessionState>();
        services.AddSingleton<Hubs.HubSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<Hubs.HubSessions>());
        services.AddSingleton<DeviceCookies>();
        return services;
    }
}
