using System.Diagnostics;
using InstantChat.Core.Ingest;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.EventModel;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InstantChat.Web.Endpoints;

/// <summary>Meta's side: GET verification and signed POST deliveries. Public; the signature is the gate.</summary>
public static partial class WebhookEndpoints
{
    const int MaxChallengeLength = 1_000;

    /// <summary>Instagram's route and Meta's (any product): one handshake, signature and log; <c>object</c> matters only to the processor.</summary>
    static readonly string[] Routes = ["/api/webhooks/instagram", "/api/webhooks/meta"];

    internal static bool IsRoute(PathString path) =>
        path.Equals(Routes[0], StringComparison.OrdinalIgnoreCase) || path.Equals(Routes[1], StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var route in Routes) Map(app.MapGroup(route).AllowAnonymous().WithTags("Webhook"));
        return app;
    }

    static void Map(RouteGroupBuilder group)
    {
        group.MapGet("", Verify);
        // Meta's hottest path answers straight from routing: the pipeline's middleware (HSTS, error
        // pages, rate limiter, antiforgery, authentication: none applies to a signed delivery) cost
        // about a quarter of each acknowledgement (bench/RESULTS.md). The endpoint sets the security
        // headers itself and turns every failure it knows into its own answer. Its own instruments
        // (instantchat.deliveries, instantchat.ack.duration) measure it: ASP.NET's per-request
        // histogram would count each delivery twice, at about 2 % of its CPU.
        group.MapPost("", ReceiveAsync).ShortCircuit().DisableHttpMetrics();
    }

    static Results<ContentHttpResult, ProblemHttpResult> Verify(
        [FromQuery(Name = "hub.mode")] string? mode,
        [FromQuery(Name = "hub.verify_token")] string? token,
        [FromQuery(Name = "hub.challenge")] string? challenge,
        IOptions<WebhookOptions> options,
        SubscriptionDirectory subscriptions)
    {
        // Both compares always run, so timing does not tell which token source matched.
        var matches = Secrets.FixedTimeEquals(token, options.Value.VerifyToken) | subscriptions.MatchesVerifyToken(token);
        var ok = mode == "subscribe" && challenge is { Length: > 0 and <= MaxChallengeLength } && matches;
        return ok
            ? TypedResults.Text(challenge, "text/plain")
            : TypedResults.Problem(statusCode: 403, title: "Verification refused",
                detail: "hub.mode must be subscribe, hub.verify_token must match META_VERIFY_TOKEN or a subscription's verifyToken, and hub.challenge must be present.");
    }

    static async Task<Results<DeliveryAcceptedResult, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, SignatureVerifier verifier, WebhookIngestor ingestor, InflightBudget budget, WebhookAdmission admission,
        IOptions<WebhookOptions> options, WebhookMetrics metrics, ILogger<DeliveryLog> logger, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Hosting.SecurityHeaders.Apply(http);
        if (admission.IsBlocked(http.Connection)) return TooManyRefusals(http, admission, metrics, started);
        var header = http.Request.Headers[SignatureVerifier.HeaderName].ToString();
        var check = verifier.CheckHeader(header);
        if (check is not (SignatureCheck.Valid or SignatureCheck.AllowedUnsigned))
            return Refused(logger, metrics, admission, http.Connection, new SignatureResult(check), started);

        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit) return TooLarge(logger, metrics, http.Request.ContentLength.Value, limit, started);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit + 1L; // our own read enforces the limit with a clear 413

        WebhookBody? read;
        BodyRead outcome;
        try
        {
            (read, outcome) = await WebhookBody.ReadAsync(http.Request, limit, budget, cancellationToken);
        }
        catch (BadHttpRequestException ex)
        {
            // Truncated or malformed framing (or Kestrel's own size limit): the client's fault, not ours.
            return TypedResults.Problem(statusCode: ex.StatusCode, title: "Unreadable body", detail: ex.Message);
        }
        using var body = read;
        switch (outcome)
        {
            case BodyRead.TooLarge: return TooLarge(logger, metrics, null, limit, started);
            case BodyRead.NoBudget or BodyRead.Evicted: return Busy(http, logger, metrics, outcome, started);
        }
        var verdict = check == SignatureCheck.Valid ? verifier.VerifyDelivery(body!.Sequence, header) : new SignatureResult(check);
        if (!verdict.Accepted) return Refused(logger, metrics, admission, http.Connection, verdict, started);
        if (!admission.AdmitValid()) return RateLimited(http, metrics, started);

        try
        {
            var logged = await ingestor.IngestAsync(body!.ToArray(), http.Request.ContentType, verdict.Vouched);
            LogAccepted(logger, logged.DeliveryId, body.Length, Elapsed(started));
            metrics.Delivery("accepted", Elapsed(started));
            return new DeliveryAcceptedResult(logged.DeliveryId);
        }
        catch (BacklogFullException ex)
        {
            LogBacklogFull(logger, ex.Message);
            metrics.Delivery("backlog_full", Elapsed(started));
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: 503, title: "Backlog full", detail: $"{ex.Message}; retry later.");
        }
        catch (StoreUnavailableException ex)
        {
            LogUnavailable(logger, body!.Length, Elapsed(started), ex.Message);
            metrics.Delivery("unavailable", Elapsed(started));
            // Meta retries anything but a 200, so nothing is lost by refusing what we could not store.
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: 503, title: "Store unavailable", detail: "The delivery was not stored; retry later.");
        }
    }

    static ProblemHttpResult Refused(ILogger logger, WebhookMetrics metrics, WebhookAdmission admission, ConnectionInfo sender, SignatureResult verdict, long started)
    {
        var (check, why) = (verdict.Check, verdict.Detail);
        admission.Refused(sender);
        LogRefused(logger, check, Elapsed(started));
        metrics.Delivery("unauthorized", Elapsed(started));
        var detail = check switch
        {
            SignatureCheck.NoSecret => "No app secret is configured (INSTAGRAM_APP_SECRET or META_APP_SECRET); every delivery is refused.",
            SignatureCheck.Missing => "The X-Hub-Signature-256 header is missing.",
            SignatureCheck.Malformed => "The X-Hub-Signature-256 header must be sha256= followed by 64 hex digits.",
            SignatureCheck.Ambiguous => $"Signed with a subscription's secret, but the body is ambiguous ({why}); such deliveries must have unique property names and object entries with string ids.",
            SignatureCheck.ForeignAccount => $"Signed with a subscription's secret, but {why}.",
            _ => "The X-Hub-Signature-256 signature does not match the body.",
        };
        return TypedResults.Problem(statusCode: 401, title: "Invalid signature", detail: detail);
    }

    static ProblemHttpResult TooLarge(ILogger logger, WebhookMetrics metrics, long? size, int limit, long started)
    {
        LogTooLarge(logger, size, limit, Elapsed(started));
        metrics.Delivery("too_large", Elapsed(started));
        return TypedResults.Problem(statusCode: 413, title: "Body too large", detail: $"The body exceeds {limit} bytes (WEBHOOK_MAX_BODY_BYTES).");
    }

    /// <summary>503 at once, Meta retries; the connection closes so the rest of the body is never read.</summary>
    static ProblemHttpResult Busy(HttpContext http, ILogger logger, WebhookMetrics metrics, BodyRead outcome, long started)
    {
        LogBusy(logger, outcome, Elapsed(started));
        metrics.Delivery("busy", Elapsed(started));
        http.Response.Headers.RetryAfter = "1";
        http.Response.Headers.Connection = "close";
        return TypedResults.Problem(statusCode: 503, title: "Too many bodies in flight",
            detail: "The bytes of webhook bodies being received exceed WEBHOOK_MAX_INFLIGHT_BYTES; retry later.");
    }

    static ProblemHttpResult TooManyRefusals(HttpContext http, WebhookAdmission admission, WebhookMetrics metrics, long started)
    {
        metrics.Delivery("refused_rate_limited", Elapsed(started));
        http.Response.Headers.RetryAfter = ((int)WebhookAdmission.RefusalWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.Connection = "close";
        return TypedResults.Problem(statusCode: 429, title: "Too many refused deliveries",
            detail: $"More than {admission.RefusalsPerWindow} deliveries from this address were refused (bad or missing signature) within {WebhookAdmission.RefusalWindow.TotalSeconds} s.");
    }

    static ProblemHttpResult RateLimited(HttpContext http, WebhookMetrics metrics, long started)
    {
        metrics.Delivery("rate_limited", Elapsed(started));
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(statusCode: 429, title: "Too many deliveries", detail: "More valid deliveries per second than WEBHOOK_RATE_LIMIT; retry later.");
    }

    static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(LogLevel.Information, "Delivery {DeliveryId} logged: {Size} bytes in {Ms:0.0} ms")]
    static partial void LogAccepted(ILogger logger, string deliveryId, int size, double ms);

    [LoggerMessage(LogLevel.Warning, "Delivery refused: {Reason}")]
    static partial void LogBacklogFull(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "Delivery refused: signature {Check} in {Ms:0.0} ms")]
    static partial void LogRefused(ILogger logger, SignatureCheck check, double ms);

    [LoggerMessage(LogLevel.Warning, "Delivery refused ({Outcome}): webhook bodies in flight exceed WEBHOOK_MAX_INFLIGHT_BYTES, in {Ms:0.0} ms")]
    static partial void LogBusy(ILogger logger, BodyRead outcome, double ms);

    [LoggerMessage(LogLevel.Warning, "Delivery refused: body of {Size} bytes over the limit of {Limit} in {Ms:0.0} ms")]
    static partial void LogTooLarge(ILogger logger, long? size, int limit, double ms);

    // A warning: the cause is logged once per failed commit as an error, and Meta re-sends this
    // delivery after the 503, so an outage is not one error line per refused request.
    [LoggerMessage(LogLevel.Warning, "Delivery not stored ({Size} bytes, {Ms:0.0} ms): store unavailable: {Error}")]
    static partial void LogUnavailable(ILogger logger, int size, double ms, string error);
}

/// <summary>The answer to Meta: the delivery is in the log; its events follow within a second or so.</summary>
public sealed record DeliveryAccepted(string DeliveryId);

/// <summary>The log category of the one line per delivery.</summary>
public sealed class DeliveryLog;
