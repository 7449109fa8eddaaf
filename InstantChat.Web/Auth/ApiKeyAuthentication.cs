using System.Security.Claims;
using System.Text.Encodings.Web;
using InstantChat.Core.Security;
using InstantChat.Core.Ingest;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace InstantChat.Web.Auth;

public sealed class ApiKeyOptions
{
    /// <summary>A key that acts as an admin on the REST API. Unset: the REST API is closed.</summary>
    [ConfigurationKeyName("ADMIN_API_KEY")]
    [StrongSecret(32, ErrorMessage = "ADMIN_API_KEY must be at least 32 characters and not only spaces (e.g. openssl rand -hex 32), or unset.")]
    public string? AdminApiKey { get; init; }
}

/// <summary><c>Authorization: Bearer &lt;key&gt;</c>, compared in constant time; the key is never logged.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> keys,
    ApiKeyDirectory directory,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } presented) return Task.FromResult(AuthenticateResult.NoResult());
        // The configured key first (constant-time), then the issued keys (by hash).
        if (Secrets.FixedTimeEquals(presented, keys.Value.AdminApiKey)) return Success("admin-api-key", Roles.Admin);
        return directory.Find(presented) is { } key
            ? Success($"key:{key.Name}", key.Role, key.KeyId)
            : Task.FromResult(AuthenticateResult.Fail("invalid API key"));
    }

    /// <summary>
    /// <c>Authorization: Bearer</c>; on the hub also the <c>access_token</c> query parameter, which is
    /// how SignalR clients send a token over WebSockets and SSE (browsers cannot set headers there).
    /// </summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }

    Task<AuthenticateResult> Success(string name, string role, string? keyId = null)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        // The key's id lets a hub connection opened with it be closed when the key is revoked.
        if (keyId is not null) identity.AddClaim(new Claim(SessionCheck.KeyIdClaim, keyId));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new() { HttpContext = Context, ProblemDetails = { Status = 401, Title = "Authentication required", Detail = "Send Authorization: Bearer <api key>." } });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new() { HttpContext = Context, ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "This action needs the admin role." } });
    }
}

public static class Policies
{
    public const string Admin = "admin";
}
