using InstantChat.Core.Storage;
using InstantChat.Core.Ingest;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>POST /api/webhooks/instagram/test: an event built as Meta would send it, through the real pipeline.</summary>
public static class TestEventEndpoints
{
    public static IEndpointRouteBuilder MapTestEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/webhooks/instagram/test", CreateAsync).RequireAuthorization(Policies.Admin).WithTags("Webhook");
        return app;
    }

    static async Task<Results<Created<TestEventCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        TestEventBody? body, TestEventService tests, CancellationToken ct)
    {
        try
        {
            var r = await tests.SendAsync(body, ct);
            if (!r.Succeeded) return ChangeResults.Invalid(r);
            return TypedResults.Created($"/api/webhooks/events/{r.Value}", new TestEventCreated(r.Value!));
        }
        catch (StoreUnavailableException)
        {
            return TypedResults.Problem(statusCode: 503, title: "Store unavailable", detail: "The test event was not stored; retry later.");
        }
    }
}

public sealed record TestEventCreated(string EventId);
