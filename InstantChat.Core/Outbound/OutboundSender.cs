using System.Diagnostics;
using System.Net;
using System.Text;
using Polly.CircuitBreaker;

namespace InstantChat.Core.Outbound;

/// <summary>What one attempt came to: the attempt as recorded, and what the message becomes.</summary>
public sealed record SendResult(OutboundAttempt? Attempt, OutboundMessage Message, bool DisableDestination = false, DateTimeOffset? ReleasedUntil = null);

/// <summary>
/// One attempt at one message: builds the body, signs it, sends it through the destination's
/// resilience pipeline (attempt timeout, circuit breaker: <see cref="OutboundHttp"/>), and turns
/// the answer into the message's next state by the schedule. Never throws for the receiver's sake.
/// </summary>
public sealed class OutboundSender(IHttpClientFactory http, IOutboundPayloads payloads, TimeProvider clock)
{
    static readonly HashSet<string> KeptHeaders = new(StringComparer.OrdinalIgnoreCase) { "content-type", "retry-after", "server", "date", "location", "x-request-id" };

    public async Task<SendResult> SendAsync(Destination destination, OutboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        if (destination.Secrets.Current.Length == 0)
            return Outcome(message, Attempt(message, now, null, 0, null, null, "the destination's secret cannot be read (key ring lost?): nothing is sent unsigned; save a new secret"), null);
        var body = await payloads.BodyAsync(message.EventId, destination.Payload, cancellationToken);
        if (body is null)
            return Final(message, Attempt(message, now, null, 0, null, null, "the event is no longer stored (retention)"));
        try
        {
            using var request = Request(destination, message, body, now);
            using var response = await http.CreateClient(OutboundHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var text = await ReadStartAsync(response, cancellationToken);
            var attempt = Attempt(message, now, (int)response.StatusCode, Elapsed(started), Headers(response), text, null);
            if (response.IsSuccessStatusCode) return new SendResult(attempt, Next(message, attempt) with { Status = OutboundStatus.Delivered, NextAttemptAt = null, LastError = null });
            if (response.StatusCode == HttpStatusCode.Gone)
                return new SendResult(attempt, Next(message, attempt) with { Status = OutboundStatus.Failed, NextAttemptAt = null, LastError = "410 Gone: the destination was disabled" }, DisableDestination: true);
            return Outcome(message, attempt with { Error = $"HTTP {(int)response.StatusCode}" }, RetryAfter(response, now));
        }
        catch (BrokenCircuitException ex)
        {
            // Not an attempt: nothing was sent. The message waits for the circuit to let requests through.
            return new SendResult(null, message, ReleasedUntil: now + (ex.RetryAfter ?? OutboundHttp.BreakDuration));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome(message, Attempt(message, now, null, Elapsed(started), null, null, Describe(ex)), null);
        }
    }

    /// <summary>
    /// "Send a test event": a sample event, signed like any other, sent now and not stored. What
    /// came back (or why nothing did) is the answer; the destination's circuit counts it like any request.
    /// </summary>
    public async Task<OutboundAttempt> SendTestAsync(Destination destination, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var message = new OutboundMessage { MessageId = "msg_test_" + EventModel.EventIds.New(now), DestinationId = destination.DestinationId, EventId = "test", CreatedAt = now };
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            eventId = "test", eventType = "test", receivedAt = now, content = new { text = "A test event from InstantChat Webhooks: this destination is reachable and can check signatures." },
        });
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = Request(destination, message, body, now);
            using var response = await http.CreateClient(OutboundHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return Attempt(message, now, (int)response.StatusCode, Elapsed(started), Headers(response), await ReadStartAsync(response, cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt(message, now, null, Elapsed(started), null, null, ex is BrokenCircuitException ? "the circuit is open: the destination failed too often lately" : Describe(ex));
        }
    }

    HttpRequestMessage Request(Destination destination, OutboundMessage message, string body, DateTimeOffset now)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, destination.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in destination.Headers) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("webhook-id", message.MessageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", OutboundSigner.Sign(destination.Secrets.SigningAt(now), message.MessageId, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()), body));
        request.Headers.UserAgent.ParseAdd("InstantChat-Webhooks/1.0");
        request.Options.Set(OutboundHttp.DestinationKey, destination.DestinationId);
        request.Options.Set(OutboundHttp.TimeoutKey, TimeSpan.FromSeconds(destination.TimeoutSeconds));
        return request;
    }

    /// <summary>A failed attempt: the next one by the schedule (or later, when the receiver asked), or failed after the last.</summary>
    SendResult Outcome(OutboundMessage message, OutboundAttempt attempt, TimeSpan? retryAfter)
    {
        var next = Next(message, attempt);
        if (OutboundSchedule.After(next.Attempts, Random.Shared.NextDouble()) is not { } delay) return Final(message, attempt);
        if (retryAfter is { } asked && asked > delay) delay = asked;
        return new SendResult(attempt, next with { NextAttemptAt = attempt.At + delay, LastError = attempt.Error });
    }

    static SendResult Final(OutboundMessage message, OutboundAttempt attempt) =>
        new(attempt, Next(message, attempt) with { Status = OutboundStatus.Failed, NextAttemptAt = null, LastError = attempt.Error });

    static OutboundMessage Next(OutboundMessage m, OutboundAttempt a) =>
        m with { Attempts = m.Attempts + 1, TotalAttempts = a.Number, LastAttemptAt = a.At, LastStatusCode = a.StatusCode };

    static OutboundAttempt Attempt(OutboundMessage m, DateTimeOffset at, int? status, double ms, IReadOnlyDictionary<string, string>? headers, string? body, string? error) =>
        new(m.MessageId, m.TotalAttempts + 1, at, status, ms, headers ?? new Dictionary<string, string>(), body, error);

    /// <summary>Retry-After on 429 and 503, in seconds or as a date, capped at the schedule's longest wait.</summary>
    static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } ra) return null;
        var wait = ra.Delta ?? (ra.Date is { } date ? date - now : null);
        return wait is { } w && w > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(w.Ticks, OutboundSchedule.Delays.Max().Ticks)) : null;
    }

    static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0) return null;
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(OutboundAttempt.MaxBodyChars);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var read = await reader.ReadBlockAsync(buffer.AsMemory(0, OutboundAttempt.MaxBodyChars), cancellationToken);
            return read == 0 ? null : new string(buffer, 0, read);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    static Dictionary<string, string> Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).Where(h => KeptHeaders.Contains(h.Key))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value));

    static string Describe(Exception ex) => ex switch
    {
        Polly.Timeout.TimeoutRejectedException => "timed out",
        HttpRequestException { InnerException: DestinationRefusedException refused } => refused.Message,
        HttpRequestException h => $"{h.HttpRequestError}: {h.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
