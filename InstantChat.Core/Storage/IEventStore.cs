using InstantChat.Core.EventModel;

namespace InstantChat.Core.Storage;

/// <summary>
/// The processor's commit: what it made of a run of logged deliveries, stored at once — the events
/// with the status their first attempt ended in, the business writes of the new ones, the stats,
/// retry entries for the failures, the deliveries' records, and the log position (so a batch is
/// taken exactly once).
/// </summary>
public interface IIngestStore
{
    /// <summary>
    /// Stores every delivery and its events in one durable commit. Events whose deduplication key
    /// is already stored (or appears earlier in the same commit) are skipped, not errors, and so are
    /// their business writes. With <paramref name="taken"/>, the log batch they came from is marked
    /// processed in the same commit (a batch that is not the taker's any more is refused).
    /// Throws <see cref="StoreUnavailableException"/> when nothing could be stored.
    /// </summary>
    Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, LogBatch? taken, CancellationToken cancellationToken);

    Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken) =>
        CommitAsync(batches, null, cancellationToken);
}

/// <summary>The read side the Events API and dashboard use.</summary>
public interface IEventStore
{
    Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken);
    Task<WebhookEvent?> FindAsync(string eventId, CancellationToken cancellationToken);
    /// <summary>The event stored under this deduplication key, if any.</summary>
    Task<WebhookEvent?> FindByKeyAsync(string deduplicationKey, CancellationToken cancellationToken);
    Task<DeliveryRecord?> FindDeliveryAsync(string deliveryId, CancellationToken cancellationToken);
    /// <summary>
    /// How many events match <paramref name="query"/>'s filters (its cursor and limit ignored), counted
    /// up to <paramref name="cap"/>: past it, or past what a text search examines, the count is a floor.
    /// </summary>
    Task<MatchCount> CountAsync(EventQuery query, int cap, CancellationToken cancellationToken);
    /// <summary>True when the store answers a trivial query and, where the store can tell, takes a write.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

/// <summary>One delivery as the processor made it.</summary>
/// <param name="Writes">For each event (same order), the business write to apply when it is new; null for none.</param>
/// <param name="LogSeq">Where its bytes are in the delivery log; null keeps them with the record instead.</param>
/// <param name="Outbound">For each event (same order), the destinations it goes to when it is new; null for none.</param>
public sealed record IngestBatch(Delivery Delivery, IReadOnlyList<WebhookEvent> Events, IReadOnlyList<Processing.BusinessWrite?>? Writes = null, long? LogSeq = null,
    IReadOnlyList<IReadOnlyList<Outbound.OutboundTarget>>? Outbound = null);

/// <summary>Per delivery: the events that were new, and how many were already stored.</summary>
public sealed record CommitResult(IReadOnlyList<WebhookEvent> Inserted, int Duplicates);

/// <param name="Text">Substring of the text content or the username.</param>
/// <param name="From">Inclusive lower bound of receivedAt.</param>
/// <param name="To">Inclusive upper bound of receivedAt.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page: the last event id it showed.</param>
public sealed record EventQuery(
    string? EventType = null,
    ProcessingStatus? Status = null,
    string? AccountId = null,
    string? SenderId = null,
    string? Text = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = EventQuery.DefaultLimit,
    string? Cursor = null,
    string? Platform = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}

/// <param name="AtLeast">True when there are more than <paramref name="Count"/> (the count stopped at its cap).</param>
public sealed record MatchCount(long Count, bool AtLeast);

/// <summary>
/// A page of events, newest first. A text search may return a short (even empty) page that still
/// has a cursor: it examines a bounded number of matches per call, and the next call goes on.
/// </summary>
public sealed record EventPage(IReadOnlyList<WebhookEvent> Items, string? NextCursor);

public static class EventStoreExtensions
{
    /// <summary>
    /// For a person looking at a page: follows a short page's cursor until the page is full or
    /// <paramref name="maxCalls"/> calls were made, so a selective search shows results, not an empty page.
    /// </summary>
    public static async Task<EventPage> ListFullPageAsync(this IEventStore store, EventQuery query, CancellationToken cancellationToken, int maxCalls = 10)
    {
        var page = await store.ListAsync(query, cancellationToken);
        if (page.Items.Count >= query.Limit || page.NextCursor is null) return page;
        var items = page.Items.ToList();
        for (var call = 1; call < maxCalls && items.Count < query.Limit && page.NextCursor is not null; call++)
        {
            page = await store.ListAsync(query with { Cursor = page.NextCursor, Limit = query.Limit - items.Count }, cancellationToken);
            items.AddRange(page.Items);
        }
        return new EventPage(items, page.NextCursor);
    }
}

/// <summary>The store could not be reached or could not commit: the caller must not acknowledge.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
