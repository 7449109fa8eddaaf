using System.Security.Claims;
using System.Text.Encodings.Web;
using InstantChat.Core.Security;
using InstantChat.Core.Signatures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace InstantChat.Web.Auth;

public sealed class ApiKeyOptions
{
    /// <summary>A key that acts as an admin on the REST API. Unset: the REST API is closed.</summary>
    [ConfigurationKeyName("ADMIN_API_KEY")]
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
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var presented = header["Bearer ".Length..].Trim();
        // The configured key first (constant-time), then the issued keys (by hash).
        if (Secrets.FixedTimeEquals(presented, keys.Value.AdminApiKey)) return Success("admin-api-key", Roles.Admin);
        return directory.Find(presented) is { } key
            ? Success($"key:{key.Name}", key.Role)
            : Task.FromResult(AuthenticateResult.Fail("invalid API key"));
    }

    Task<AuthenticateResult> Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
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
