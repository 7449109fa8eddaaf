using InstantChat.Core.Subscriptions;
using InstantChat.Core.Webhooks;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

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

    static async Task<Ok<SubscriptionListDto>> ListAsync(ISubscriptionStore store, CancellationToken ct) =>
        TypedResults.Ok(new SubscriptionListDto((await store.ListAsync(ct)).Select(SubscriptionDto.From).ToList()));

    static async Task<Results<Ok<SubscriptionDto>, NotFound>> GetAsync(string subscriptionId, ISubscriptionStore store, CancellationToken ct) =>
        await store.FindAsync(subscriptionId, ct) is { } s ? TypedResults.Ok(SubscriptionDto.From(s)) : TypedResults.NotFound();

    static async Task<Results<Created<SubscriptionDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        SubscriptionBody? body, ISubscriptionStore store, SubscriptionDirectory directory, IOptions<WebhookOptions> defaults, TimeProvider clock, CancellationToken ct)
    {
        if (SubscriptionValidator.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var now = clock.GetUtcNow();
        var subscription = body!.ToSubscription(EventIds.New(now), previous: null, defaults.Value, now);
        if (!await store.CreateAsync(subscription, ct)) return AccountTaken(subscription.InstagramAccountId);
        await directory.ReloadAsync(ct);
        return TypedResults.Created($"/api/webhooks/subscriptions/{subscription.SubscriptionId}", SubscriptionDto.From(subscription));
    }

    static async Task<Results<Ok<SubscriptionDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string subscriptionId, SubscriptionBody? body, ISubscriptionStore store, SubscriptionDirectory directory,
        IOptions<WebhookOptions> defaults, TimeProvider clock, CancellationToken ct)
    {
        if (SubscriptionValidator.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        if (await store.FindAsync(subscriptionId, ct) is not { } previous) return TypedResults.NotFound();
        var subscription = body!.ToSubscription(subscriptionId, previous, defaults.Value, clock.GetUtcNow());
        var other = (await store.ListAsync(ct)).FirstOrDefault(s => s.InstagramAccountId == subscription.InstagramAccountId && s.SubscriptionId != subscriptionId);
        if (other is not null) return AccountTaken(subscription.InstagramAccountId);
        if (!await store.UpdateAsync(subscription, ct)) return TypedResults.NotFound();
        await directory.ReloadAsync(ct);
        return TypedResults.Ok(SubscriptionDto.From(subscription));
    }

    static async Task<Results<NoContent, NotFound>> DeleteAsync(string subscriptionId, ISubscriptionStore store, SubscriptionDirectory directory, CancellationToken ct)
    {
        if (!await store.DeleteAsync(subscriptionId, ct)) return TypedResults.NotFound();
        await directory.ReloadAsync(ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult AccountTaken(string account) => TypedResults.Problem(statusCode: 409, title: "Account already subscribed",
        detail: $"Instagram account {account} already has a subscription; update that one instead.");
}
