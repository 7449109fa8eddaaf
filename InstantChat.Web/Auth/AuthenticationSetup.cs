using System.Threading.RateLimiting;
using InstantChat.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;

namespace InstantChat.Web.Auth;

public static class AuthenticationSetup
{
    const string Smart = "cookie-or-key";
    public const string LoginLimit = "login";

    /// <summary>
    /// One scheme picks the other: a request with <c>Authorization: Bearer</c> is an API key, anything
    /// else is the sign-in cookie. Unauthenticated API calls get 401/403 problem details; pages
    /// redirect to /login.
    /// </summary>
    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSharedDataProtection();
        services.AddSessionChecks();
        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, "API key or sign-in cookie", o => o.ForwardDefaultSelector = c =>
                ApiKeyAuthenticationHandler.PresentedKey(c.Request) is not null
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "instantchat.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request is HTTPS (behind a proxy: with forwarded headers on).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/forbidden";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // Every request: the user still has this session (security stamp) and it is under 12 h old.
                o.Events.OnValidatePrincipal = SessionCheck.ValidateCookieAsync;
                o.Events.OnRedirectToLogin = c => IsApi(c.Request) ? Problem(c.HttpContext, 401, "Authentication required") : Redirect(c);
                o.Events.OnRedirectToAccessDenied = c => IsApi(c.Request) ? Problem(c.HttpContext, 403, "Forbidden") : Redirect(c);
            });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (c, _) =>
            {
                c.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(c =>
            {
                var limits = c.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
                // Meta's deliveries are limited by WebhookAdmission, after their signature is checked, so
                // that requests refused for a bad signature never spend the budget of valid ones (their
                // endpoint short-circuits the pipeline; this keeps it so if that ever changes).
                if (Hosting.ApiExtensions.IsWebhookDelivery(c.Request)) return RateLimitPartition.GetNoLimiter("webhook");
                // The API: per caller (API key or user; the address when anonymous).
                if (IsApi(c.Request))
                    return RateLimitPartition.GetTokenBucketLimiter(c.User.Identity?.Name ?? c.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                        _ => new TokenBucketRateLimiterOptions { TokenLimit = limits.ApiPerMinute, TokensPerPeriod = limits.ApiPerMinute, ReplenishmentPeriod = TimeSpan.FromMinutes(1) });
                return RateLimitPartition.GetNoLimiter("pages");
            });
            // Sign-in attempts per client address; growing delays per address, username and device are in SignInThrottle.
            o.AddPolicy(LoginLimit, c => RateLimitPartition.GetFixedWindowLimiter(
                c.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    public sealed class RateLimitOptions
    {
        [ConfigurationKeyName("WEBHOOK_RATE_LIMIT")]
        [System.ComponentModel.DataAnnotations.Range(0, 1_000_000, ErrorMessage = "WEBHOOK_RATE_LIMIT must be between {1} and {2} deliveries per second (0 = off).")]
        // Off by default: the unprocessed backlog is bounded (WEBHOOK_MAX_BACKLOG, 503), and a
        // per-second cap below what the log takes would refuse the bursts the log is there to absorb.
        public int WebhookPerSecond { get; init; }

        /// <summary>Refused webhook deliveries (bad or missing signature) one address may send per 10 s before 429s; 0 = no limit.</summary>
        [ConfigurationKeyName("WEBHOOK_REFUSAL_LIMIT")]
        [System.ComponentModel.DataAnnotations.Range(0, 1_000_000, ErrorMessage = "WEBHOOK_REFUSAL_LIMIT must be between {1} and {2} refused deliveries per address per 10 s (0 = off).")]
        public int WebhookRefusalsPerAddress { get; init; } = 50;

        [ConfigurationKeyName("API_RATE_LIMIT")]
        [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "API_RATE_LIMIT must be between {1} and {2} requests per minute.")]
        public int ApiPerMinute { get; init; } = 1_200;
    }

    static bool IsApi(HttpRequest r) =>
        r.Path.StartsWithSegments("/api") || r.Path.StartsWithSegments("/metrics") || r.Path.StartsWithSegments("/hubs");

    static Task Problem(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new() { HttpContext = context, ProblemDetails = { Status = status, Title = title } }).AsTask();
    }

    static Task Redirect(RedirectContext<CookieAuthenticationOptions> c)
    {
        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }
}
