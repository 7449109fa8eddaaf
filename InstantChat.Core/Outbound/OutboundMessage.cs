using InstantChat.Core.EventModel;

namespace InstantChat.Core.Outbound;

public enum OutboundStatus { Pending, Delivered, Failed }

/// <summary>
/// One event on its way to one destination. Its id is the <c>webhook-id</c> of every attempt, so a
/// receiver can tell a retry from a new message. <see cref="OrderKey"/> is the conversation the
/// event belongs to (account + participant) where the destination delivers conversations in order.
/// </summary>
public sealed record OutboundMessage
{
    public required string MessageId { get; init; }
    public required string DestinationId { get; init; }
    public required string EventId { get; init; }
    public string? OrderKey { get; init; }
    /// <summary>
    /// The order the event was taken from the log in, which is the order it is processed and its
    /// message created: on SQLite the log's own position (<see cref="LogSeqOf"/>), on MongoDB the
    /// delivery id (the shared log is taken in id order). Not event ids, nor on SQLite delivery ids:
    /// ids minted in one millisecond by concurrent requests need not follow the log. A message made
    /// later (a retry that completed, a replay) sorts after every logged one.
    /// </summary>
    public string Seq { get; init; } = "";
    public OutboundStatus Status { get; init; } = OutboundStatus.Pending;
    /// <summary>Attempts since it was created or last retried by hand (the schedule counts these).</summary>
    public int Attempts { get; init; }
    /// <summary>Attempts ever: the next attempt's number is this + 1.</summary>
    public int TotalAttempts { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it is due (pending only).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }

    public static string SeqOf(WebhookEvent e, int? index) => $"{e.DeliveryId}.{index ?? 9999:D4}";

    public static string LogSeqOf(long logSeq, int index) => $"{logSeq:D19}.{index:D4}";

    /// <summary>A new message id: time-ordered, so the newest-first list is a key range.</summary>
    public static string NewId(DateTimeOffset now) => "msg_" + EventIds.New(now);

    /// <summary>
    /// Account + participant: the participant is the sender, or the recipient of the business's own
    /// message (an echo; a WhatsApp status, sent by the business's phone number).
    /// </summary>
    public static string ConversationOf(WebhookEvent e)
    {
        var fromBusiness = (e.SenderId is { } sender && sender == e.AccountId)
            || (e.Platform == Platforms.WhatsApp && e.EventType == EventTypes.Statuses);
        var participant = fromBusiness ? e.RecipientId : e.SenderId;
        return $"{e.AccountId}:{participant}";
    }
}

/// <summary>One try at sending a message: what came back (headers, and the first 4 KiB of the body), or why nothing did.</summary>
public sealed record OutboundAttempt(
    string MessageId,
    int Number,
    DateTimeOffset At,
    int? StatusCode,
    double DurationMs,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    string? ResponseBody,
    string? Error)
{
    public const int MaxBodyChars = 4096;
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

public static class OutboundStatuses
{
    public static string ToWire(this OutboundStatus status) => status switch
    {
        OutboundStatus.Delivered => "delivered",
        OutboundStatus.Failed => "failed",
        _ => "pending",
    };

    public static OutboundStatus? Parse(string? value) => value switch
    {
        "pending" => OutboundStatus.Pending,
        "delivered" => OutboundStatus.Delivered,
        "failed" => OutboundStatus.Failed,
        _ => null,
    };
}
