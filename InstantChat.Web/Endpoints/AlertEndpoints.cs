using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>Alerts (SPEC: Alerts): every user sees them; admins set the rules.</summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").RequireAuthorization().WithTags("Alerts");
        group.MapGet("", async (IAlertStore alerts, CancellationToken ct) => TypedResults.Ok(new AlertListDto(await alerts.ListAsync(100, ct))));
        group.MapGet("/rules", async (IAlertStore alerts, CancellationToken ct) => TypedResults.Ok(await alerts.RulesAsync(ct))).RequireAuthorization(Policies.Admin);
        group.MapPut("/rules", async Task<Results<Ok<AlertRules>, ValidationProblem>> (AlertRules? body, IAlertStore alerts, ILogger<AlertRules> audit, HttpContext http, CancellationToken ct) =>
        {
            if (AlertRulesValidator.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
            await alerts.SaveRulesAsync(body!, ct);
            audit.LogInformation("Audit: {By} changed the alert rules", http.User.Identity?.Name);
            return TypedResults.Ok(body!);
        }).RequireAuthorization(Policies.Admin);
        return app;
    }
}

public sealed record AlertListDto(IReadOnlyList<Alert> Items);
