using System.Text.Json.Serialization;
using InstantChat.Core.Outbound;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// A destination as the API returns it. <c>secret</c> is there only in the answer to a create or a
/// rotation, the one time it is shown; <c>previousSecretUntil</c> says until when a rotated-out
/// secret still signs beside the new one.
/// </summary>
public sealed record DestinationDto(
    string DestinationId,
    string Name,
    string Url,
    bool Enabled,
    DestinationFilterDto Filter,
    string Payload,
    IReadOnlyDictionary<string, string> Headers,
    int TimeoutSeconds,
    int? MaxPerSecond,
    int? MaxConcurrency,
    string Ordering,
    string? DisabledReason,
    DateTimeOffset? PreviousSecretUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null)
{
    public static DestinationDto From(Destination d, string? secret = null) => new(
        d.DestinationId, d.Name, d.Url, d.Enabled,
        new DestinationFilterDto(d.Filter.EventTypes ?? [], d.Filter.AccountIds ?? [], d.Filter.TextContains, d.Filter.Platforms ?? []),
        d.Payload.ToWire(), d.Headers, d.TimeoutSeconds, d.MaxPerSecond, d.MaxConcurrency, d.Ordering.ToWire(), d.DisabledReason,
        d.Secrets.Previous is null ? null : d.Secrets.PreviousUntil, d.CreatedAt, d.UpdatedAt, secret);
}

public sealed record DestinationFilterDto(IReadOnlyList<string> EventTypes, IReadOnlyList<string> AccountIds, string? TextContains, IReadOnlyList<string> Platforms);
public sealed record DestinationListDto(IReadOnlyList<DestinationDto> Items);

public sealed record OutboundAttemptDto(int Number, DateTimeOffset At, int? StatusCode, double DurationMs, IReadOnlyDictionary<string, string> ResponseHeaders, string? ResponseBody, string? Error)
{
    public static OutboundAttemptDto From(OutboundAttempt a) => new(a.Number, a.At, a.StatusCode, a.DurationMs, a.ResponseHeaders, a.ResponseBody, a.Error);
}

public sealed record OutboundMessageDto(
    string MessageId, string DestinationId, string EventId, string Status, IReadOnlyList<OutboundAttemptDto> Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, int? LastStatusCode, string? LastError)
{
    public static OutboundMessageDto From(OutboundMessage m, IEnumerable<OutboundAttempt> attempts) => new(
        m.MessageId, m.DestinationId, m.EventId, m.Status.ToWire(),
        attempts.Where(a => a.MessageId == m.MessageId).OrderBy(a => a.Number).Select(OutboundAttemptDto.From).ToList(),
        m.NextAttemptAt, m.CreatedAt, m.LastStatusCode, m.LastError);
}

public sealed record OutboundMessageListDto(IReadOnlyList<OutboundMessageDto> Items, string? NextCursor);
public sealed record BulkRetryBody(string? Status);
public sealed record ReplayBody(DateTimeOffset? Since);
public sealed record CountDto(int Count);

/// <summary>A destination's last 24 h: attempts, share delivered, p95 latency (bucket bound), latest attempt, pending messages, circuit.</summary>
public sealed record DestinationHealthDto(string DestinationId, string Name, bool Enabled, long Attempts, double? SuccessRate, double? P95Ms,
    DateTimeOffset? LastAttemptAt, int? LastStatusCode, long Backlog, string Circuit)
{
    public static DestinationHealthDto From(DestinationStatus s) => new(s.Destination.DestinationId, s.Destination.Name, s.Destination.Enabled,
        s.Last24Hours.Attempts, s.Last24Hours.SuccessRate, s.Last24Hours.P95Ms, s.Last24Hours.LastAttemptAt, s.Last24Hours.LastStatusCode,
        s.Backlog, s.Circuit switch { CircuitState.Open => "open", CircuitState.HalfOpen => "halfOpen", _ => "closed" });
}

public sealed record DestinationHealthListDto(IReadOnlyList<DestinationHealthDto> Items);
