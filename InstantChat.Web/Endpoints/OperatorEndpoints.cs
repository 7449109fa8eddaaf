using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace InstantChat.Web.Endpoints;

/// <summary>What operators and tools read: health, readiness, Prometheus metrics, the OpenAPI document and its reference page.</summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        // Liveness: the process answers. Readiness: the store answers too.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        // Authenticated like the API: a scraper uses an API key.
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("InstantChat Webhooks API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        return app;
    }
}
