using InstantChat.Core.Storage;
using InstantChat.Core.Webhooks;
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
        TestEventBody? body, WebhookIngestor ingestor, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.EventType is not { } type || !EventTypes.Known.Contains(type))
            errors["eventType"] = [$"eventType must be one of {string.Join(", ", EventTypes.Known)}."];
        if (body?.AccountId is not { Length: > 0 and <= 128 }) errors["accountId"] = ["accountId is required (at most 128 characters)."];
        if (body?.SenderId is not { Length: > 0 and <= 128 }) errors["senderId"] = ["senderId is required (at most 128 characters)."];
        if (body?.Content?.Text is { Length: > 2_000 }) errors["content.text"] = ["content.text must be at most 2000 characters."];
        if (body?.UserInfo?.Username is { Length: > 128 }) errors["userInfo.username"] = ["userInfo.username must be at most 128 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var request = new TestEventRequest(body!.EventType!, body.AccountId!, body.SenderId!, body.Content?.Text, body.UserInfo?.Username);
        try
        {
            var outcome = await ingestor.IngestAsync(TestEvents.Envelope(request, clock.GetUtcNow()), "application/json", ct);
            var eventId = outcome.Inserted.Single().EventId;
            return TypedResults.Created($"/api/webhooks/events/{eventId}", new TestEventCreated(eventId));
        }
        catch (StoreUnavailableException)
        {
            return TypedResults.Problem(statusCode: 503, title: "Store unavailable", detail: "The test event was not stored; retry later.");
        }
    }
}

public sealed record TestEventBody(string? EventType, string? AccountId, string? SenderId, TestEventContent? Content, TestEventUser? UserInfo);
public sealed record TestEventContent(string? Text);
public sealed record TestEventUser(string? Username);
public sealed record TestEventCreated(string EventId);
