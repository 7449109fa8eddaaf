using InstantChat.Core.EventModel;

namespace InstantChat.Core.Outbound;

/// <summary>
/// One of the team's own services that receives matching events, signed per Standard Webhooks.
/// Its secrets are here in clear (the stores seal them at rest); the API never returns them.
/// </summary>
public sealed record Destination
{
    public required string DestinationId { get; init; }
    public required string Name { get; init; }
    public required string Url { get; init; }
    public bool Enabled { get; init; } = true;
    public DestinationFilter Filter { get; init; } = DestinationFilter.Everything;
    public PayloadShape Payload { get; init; } = PayloadShape.Event;
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public int TimeoutSeconds { get; init; } = 10;
    /// <summary>Requests a second at most; null: no limit.</summary>
    public int? MaxPerSecond { get; init; }
    /// <summary>Requests in flight at once; null: <see cref="DefaultConcurrency"/>.</summary>
    public int? MaxConcurrency { get; init; }
    public Ordering Ordering { get; init; } = Ordering.None;
    public required DestinationSecrets Secrets { get; init; }
    /// <summary>Why the product turned it off (a 410 Gone); null when a person did, or it is on.</summary>
    public string? DisabledReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public const int DefaultConcurrency = 4;

    public int Concurrency => MaxConcurrency ?? DefaultConcurrency;
}

/// <summary>Which events a destination receives: every list empty or null means "all".</summary>
public sealed record DestinationFilter(IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? AccountIds, string? TextContains,
    IReadOnlyList<string>? Platforms = null)
{
    public static readonly DestinationFilter Everything = new(null, null, null);

    public bool Matches(WebhookEvent e) =>
        (Platforms is not { Count: > 0 } platforms || platforms.Contains(e.Platform))
        && (EventTypes is not { Count: > 0 } types || types.Contains(e.EventType))
        && (AccountIds is not { Count: > 0 } accounts || (e.AccountId is { } a && accounts.Contains(a)))
        && (TextContains is not { Length: > 0 } text || (e.Content.Text?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false));
}

/// <summary>The body sent: the event as the API serves it, or Meta's single update as received.</summary>
public enum PayloadShape { Event, Meta }

/// <summary><c>Conversation</c>: the events of one conversation (account + participant) go one at a time, in the order received.</summary>
public enum Ordering { None, Conversation }

/// <summary>
/// The signing secrets: the current one, and after a rotation the previous one, which keeps signing
/// beside it until <see cref="PreviousUntil"/> (receivers switch over without a gap).
/// </summary>
public sealed record DestinationSecrets(string Current, string? Previous = null, DateTimeOffset? PreviousUntil = null)
{
    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    public IEnumerable<string> SigningAt(DateTimeOffset now)
    {
        yield return Current;
        if (Previous is not null && PreviousUntil > now) yield return Previous;
    }

    public DestinationSecrets Rotated(string next, DateTimeOffset now) => new(next, Current, now + Overlap);
}

public static class DestinationWire
{
    public static string ToWire(this PayloadShape shape) => shape == PayloadShape.Meta ? "meta" : "event";
    public static string ToWire(this Ordering ordering) => ordering == Ordering.Conversation ? "conversation" : "none";

    public static PayloadShape? ParsePayload(string? value) => value switch
    {
        null or "event" => PayloadShape.Event,
        "meta" => PayloadShape.Meta,
        _ => null,
    };

    public static Ordering? ParseOrdering(string? value) => value switch
    {
        null or "none" => Ordering.None,
        "conversation" => Ordering.Conversation,
        _ => null,
    };
}
