using InstantChat.Core.Stats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

public static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        // Read from counters kept on write: the same handful of small reads at 1 k or 1 M events.
        app.MapGet("/api/webhooks/stats", async Task<Ok<StatsReport>> (StatsService stats, CancellationToken ct) =>
            TypedResults.Ok(await stats.ReportAsync(ct))).RequireAuthorization().WithTags("Stats");
        return app;
    }
}
