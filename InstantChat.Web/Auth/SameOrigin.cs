using Microsoft.AspNetCore.Authentication.Cookies;

namespace InstantChat.Web.Auth;

/// <summary>
/// Cross-site request forgery and WebSocket hijacking: a browser sends the sign-in cookie with
/// requests another site makes it send. So every cookie-authenticated request that changes state
/// (POST, PUT, PATCH, DELETE) and every cookie-authenticated hub or Blazor circuit connection must
/// come from this site: its <c>Origin</c> (or, without one, its <c>Referer</c>) names this host and
/// port; the scheme is not compared, so it works behind a TLS-terminating proxy. Refused: 403.
/// API-key callers (<c>Authorization: Bearer</c>) carry no ambient credential and are not checked.
/// </summary>
public static class SameOrigin
{
    public static IApplicationBuilder UseSameOriginForCookies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
            && IsGuarded(context, out var sourceRequired) && !FromThisSite(context.Request, sourceRequired))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = 403, Title = "Cross-site request refused",
                    Detail = "A request signed in with the cookie that changes state, or opens a live connection, must come from this site (Origin or Referer).",
                },
            });
            return;
        }
        await next(context);
    });

    /// <summary>
    /// Unsafe methods and WebSocket upgrades need a source (browsers always send Origin with them).
    /// A hub's or circuit's plain GET (long polling, SSE) without one passes: it carries the token
    /// that only a checked negotiate hands out.
    /// </summary>
    static bool IsGuarded(HttpContext context, out bool sourceRequired)
    {
        var r = context.Request;
        var unsafeMethod = !(HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method) || HttpMethods.IsOptions(r.Method) || HttpMethods.IsTrace(r.Method));
        sourceRequired = unsafeMethod || context.WebSockets.IsWebSocketRequest;
        return unsafeMethod || r.Path.StartsWithSegments("/hubs") || r.Path.StartsWithSegments("/_blazor");
    }

    public static bool FromThisSite(HttpRequest request, bool sourceRequired)
    {
        var source = request.Headers.Origin is { Count: > 0 } origin ? origin.ToString() : request.Headers.Referer.ToString();
        if (string.IsNullOrEmpty(source)) return !sourceRequired;
        // "null" (sandboxed frames, privacy redirects) and anything but http(s) are not this site.
        return Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
               && request.Host.HasValue
               && string.Equals(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost, request.Host.Host, StringComparison.OrdinalIgnoreCase)
               && Port(uri.IsDefaultPort ? null : uri.Port) == Port(request.Host.Port);
    }

    // 80 and 443 are both "no port": behind a TLS proxy the browser's https default meets the proxy's http one.
    static int? Port(int? port) => port is null or 80 or 443 ? null : port;
}
