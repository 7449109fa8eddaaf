namespace InstantChat.Web.Hosting;

/// <summary>
/// Headers on every response. The CSP fits Blazor Server and MudBlazor: scripts only from this
/// origin, inline styles (MudBlazor sets them), the circuit's WebSocket, no framing anywhere.
/// The API reference page (Scalar) runs its own inline bootstrap, so it gets no CSP.
/// Every API answer (errors, 401/403/429 included) is <c>Cache-Control: no-store</c>: they carry
/// keys, events and message texts that no browser or proxy cache may keep.
/// </summary>
public static class SecurityHeaders
{
    const string Csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
                       "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // Pages and static assets keep their own caching (fingerprinted assets are cached for a year).
    static readonly PathString[] NoStore = ["/api", "/metrics", "/account", "/hubs", "/_blazor", "/openapi", "/healthz", "/readyz"];

    // Set when the response starts, not before the pipeline runs: some handlers (authentication
    // challenges among them) reset the headers on their way out.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            Apply((HttpContext)state);
            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    /// <summary>Sets the headers now: for endpoints that answer before the middleware runs (the webhook POST short-circuits).</summary>
    public static void Apply(HttpContext c)
    {
        var headers = c.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (!c.Request.Path.StartsWithSegments("/api-reference")) headers.ContentSecurityPolicy = Csp;
        if (IsApi(c.Request.Path)) headers.CacheControl = "no-store";
    }

    static bool IsApi(PathString path)
    {
        foreach (var prefix in NoStore)
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
