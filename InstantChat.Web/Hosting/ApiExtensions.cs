using System.Text.Json;
using System.Text.Json.Serialization;
using InstantChat.Core.Security;
using InstantChat.Core.Storage;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using OpenTelemetry.Metrics;

namespace InstantChat.Web.Hosting;

public static class ApiExtensions
{
    const int ReadAhead = 64 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddExceptionHandler<StoreUnavailableHandler>();
        services.AddExceptionHandler<BadRequestHandler>();
        // Malformed bodies surface as exceptions in every environment, so one handler answers them alike.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddDashboardAuthentication(configuration);
        services.AddSingleton<Endpoints.WebhookAdmission>();
        services.AddSingleton<InstantChat.Core.Outbound.IOutboundPayloads, Endpoints.EventPayloads>();
        // Kestrel reads ahead up to this much of a request the app has not read yet, per connection
        // (1 MiB by default, in pinned memory): 300 slow senders would hold 300 MiB outside the
        // in-flight budget. 64 KiB still keeps a fast sender's socket busy.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBufferSize = ReadAhead);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(o => o.MaxReadBufferSize = ReadAhead);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        services.AddOpenApi();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(InstantChat.Core.Ingest.WebhookMetrics.MeterName, InstantChat.Core.Storage.Mongo.MongoCommandMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    internal static bool IsWebhookDelivery(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && Endpoints.WebhookEndpoints.IsRoute(request.Path);

    public static WebApplication UseApi(this WebApplication app)
    {
        // Behind a reverse proxy set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true (ASP.NET's own switch)
        // so the client address (rate limits, audit) and the https scheme (secure cookies) are the real ones.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Meta's deliveries never get here: their endpoint answers from routing (ShortCircuit), so
        // none of what follows costs the hottest path anything.
        app.UseAuthentication();
        app.UseSameOriginForCookies();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}

/// <summary>A store that cannot answer is a 503 (retry later), never a 500.</summary>
sealed class StoreUnavailableHandler(IProblemDetailsService problems, ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (StoreUnavailableException or System.Data.Common.DbException)) return false;
        logger.LogError("Store unavailable on {Path}: {Error}", context.Request.Path, exception.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Status = 503, Title = "Store unavailable", Detail = "The store did not answer; retry later." },
        });
    }
}

/// <summary>A body or parameter the framework could not bind: 400 (or 413/415) naming the field, never a 500.</summary>
sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        context.Response.StatusCode = bad.StatusCode;
        var json = bad.InnerException as JsonException;
        // JsonException.Path is "$.from": the field, in the request's own (camelCase) names.
        var field = json?.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        var detail = json is null ? bad.Message : $"The JSON body is invalid at {json.Path ?? "$"}.";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = bad.StatusCode, Title = "Invalid request", Detail = detail };
        if (bad.StatusCode == StatusCodes.Status400BadRequest) problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return await problems.TryWriteAsync(new() { HttpContext = context, ProblemDetails = problem });
    }
}

sealed class StoreHealthCheck(IEventStore store) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.PingAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("store unreachable");
}
