namespace InstantChat.Web.Hosting;

/// <summary>
/// Headers on every response. The CSP fits Blazor Server and MudBlazor: scripts only from this
/// origin, inline styles (MudBlazor sets them), the circuit's WebSocket, no framing anywhere.
/// The API reference page (Scalar) runs its own inline bootstrap, so it gets no CSP.
/// </summary>
public static class SecurityHeaders
{
    const string Csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
                       "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    // Set when the response starts, not before the pipeline runs: some handlers (authentication
    // challenges among them) reset the headers on their way out.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var c = (HttpContext)state;
            var headers = c.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (!c.Request.Path.StartsWithSegments("/api-reference")) headers.ContentSecurityPolicy = Csp;
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
