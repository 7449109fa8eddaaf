using InstantChat.Core.Outbound;

namespace InstantChat.Core.Storage;

/// <summary>Destinations: few, read often (cached by <see cref="Outbound.DestinationDirectory"/>). Secrets in clear above, sealed below.</summary>
public interface IDestinationStore
{
    Task<IReadOnlyList<Destination>> ListAsync(CancellationToken cancellationToken);
    Task<Destination?> FindAsync(string destinationId, CancellationToken cancellationToken);
    Task CreateAsync(Destination destination, CancellationToken cancellationToken);
    Task<bool> UpdateAsync(Destination destination, CancellationToken cancellationToken);
    /// <summary>Removes the destination with its messages and their attempts.</summary>
    Task<bool> DeleteAsync(string destinationId, CancellationToken cancellationToken);
}

/// <param name="Cursor">The <c>nextCursor</c> of the previous page: the last message id it showed.</param>
public sealed record OutboundQuery(string DestinationId, OutboundStatus? Status = null, string? EventId = null, int Limit = 50, string? Cursor = null);

public sealed record OutboundPage(IReadOnlyList<OutboundMessage> Items, string? NextCursor);

/// <summary>
/// Outbound messages. They are created in the processor's commit (<see cref="IngestBatch.Outbound"/>),
/// never here; this is their life after: taken by one sender at a time (a lease), attempted,
/// delivered or rescheduled, failed after the last attempt, retried or replayed by hand.
/// </summary>
public interface IOutboundStore
{
    /// <summary>
    /// Up to <paramref name="max"/> due messages of one destination that no sender holds, oldest due
    /// first, now held by <paramref name="holder"/> until <paramref name="leaseUntil"/>. With conversation
    /// ordering, only the first unfinished message of each conversation is ever due; a store may hand
    /// out the due ones after it too, right behind it in conversation order (a chain: the sender sends
    /// each only once the one before was delivered).
    /// </summary>
    Task<IReadOnlyList<OutboundMessage>> TakeDueAsync(string destinationId, int max, DateTimeOffset now, DateTimeOffset leaseUntil, string holder, CancellationToken cancellationToken);

    /// <summary>Attempts' outcomes, in one commit: each message's new state with its attempt; their leases end.</summary>
    Task RecordAsync(IReadOnlyList<(OutboundMessage Message, OutboundAttempt Attempt)> outcomes, CancellationToken cancellationToken);

    Task RecordAsync(OutboundMessage message, OutboundAttempt attempt, CancellationToken cancellationToken) =>
        RecordAsync([(message, attempt)], cancellationToken);

    /// <summary>Gives a held message back without an attempt (circuit open, destination off), due at <paramref name="dueAt"/>.</summary>
    Task ReleaseAsync(string messageId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>Ends every lease <paramref name="holder"/> holds (a sender starting again after a stop).</summary>
    Task ReleaseAllAsync(string holder, CancellationToken cancellationToken);

    Task<OutboundPage> ListAsync(OutboundQuery query, CancellationToken cancellationToken);
    Task<OutboundMessage?> FindAsync(string messageId, CancellationToken cancellationToken);
    Task<IReadOnlyList<OutboundAttempt>> AttemptsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Makes finished messages pending again, due now (their attempts are kept; the count starts over). How many changed.</summary>
    Task<int> RetryAsync(string destinationId, IReadOnlyCollection<string>? messageIds, OutboundStatus? status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A destination answered again after failing: its messages waiting out a backoff are due now. How many.</summary>
    Task<int> ExpediteAsync(string destinationId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Messages of one destination per event (for the event's deliveries section).</summary>
    Task<IReadOnlyList<OutboundMessage>> ForEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Every event received since <paramref name="since"/> that <paramref name="destination"/>'s filter
    /// matches gets a message due now: a new one, or its existing one made pending again (same id).
    /// </summary>
    Task<int> ReplayAsync(Destination destination, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Each destination's attempts since <paramref name="since"/> (per-minute counters, so the window starts on a minute).</summary>
    Task<IReadOnlyDictionary<string, DestinationHealthCounts>> HealthAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Pending messages per destination (the backlog the page shows).</summary>
    Task<IReadOnlyDictionary<string, long>> PendingAsync(CancellationToken cancellationToken);
}
