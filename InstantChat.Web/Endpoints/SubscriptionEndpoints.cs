using InstantChat.Core.Common;
using InstantChat.Core.Subscriptions;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>CRUD for subscriptions. Reads for every user; writes for admins. Secrets go in, never out.</summary>
public static class SubscriptionEndpoints
{
    public static IEndpointRouteBuilder MapSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks/subscriptions").RequireAuthorization().WithTags("Subscriptions");
        group.MapGet("", ListAsync);
        group.MapGet("/{subscriptionId}", GetAsync);
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.Admin);
        group.MapPut("/{subscriptionId}", UpdateAsync).RequireAuthorization(Policies.Admin);
        group.MapDelete("/{subscriptionId}", DeleteAsync).RequireAuthorization(Policies.Admin);
        return app;
    }

    static async Task<Ok<SubscriptionListDto>> ListAsync(SubscriptionService subscriptions, CancellationToken ct) =>
        TypedResults.Ok(new SubscriptionListDto((await subscriptions.ListAsync(ct)).Select(SubscriptionDto.From).ToList()));

    static async Task<Results<Ok<SubscriptionDto>, NotFound>> GetAsync(string subscriptionId, SubscriptionService subscriptions, CancellationToken ct) =>
        await subscriptions.FindAsync(subscriptionId, ct) is { } s ? TypedResults.Ok(SubscriptionDto.From(s)) : TypedResults.NotFound();

    static async Task<Results<Created<SubscriptionDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        SubscriptionBody? body, SubscriptionService subscriptions, HttpContext http, CancellationToken ct)
    {
        var r = await subscriptions.CreateAsync(body, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Created($"/api/webhooks/subscriptions/{r.Value!.SubscriptionId}", SubscriptionDto.From(r.Value)),
            ChangeStatus.Invalid => ChangeResults.Invalid(r),
            _ => ChangeResults.Conflict(r),
        };
    }

    static async Task<Results<Ok<SubscriptionDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string subscriptionId, SubscriptionBody? body, SubscriptionService subscriptions, HttpContext http, CancellationToken ct)
    {
        var r = await subscriptions.UpdateAsync(subscriptionId, body, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Ok(SubscriptionDto.From(r.Value!)),
            ChangeStatus.Invalid => ChangeResults.Invalid(r),
            ChangeStatus.NotFound => TypedResults.NotFound(),
            _ => ChangeResults.Conflict(r),
        };
    }

    static async Task<Results<NoContent, NotFound>> DeleteAsync(string subscriptionId, SubscriptionService subscriptions, HttpContext http, CancellationToken ct) =>
        (await subscriptions.DeleteAsync(subscriptionId, http.User.Identity?.Name, ct)).Succeeded ? TypedResults.NoContent() : TypedResults.NotFound();
}
