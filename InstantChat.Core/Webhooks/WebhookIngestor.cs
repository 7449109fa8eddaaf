using InstantChat.Core.Parsing;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;

namespace InstantChat.Core.Webhooks;

/// <summary>A verified delivery in, its events durably stored out. Transport-free: the endpoint owns HTTP.</summary>
public sealed class WebhookIngestor(InstagramParser parser, IngestWriter writer, SubscriptionDirectory subscriptions, QueueWorker worker, TimeProvider clock)
{
    public Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string? contentType, CancellationToken cancellationToken) =>
        IngestAsync(body, contentType, vouched: null, cancellationToken);

    /// <param name="vouched">The accounts the signature vouches for (a subscription's secret), or null for any.</param>
    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string? contentType, IReadOnlySet<string>? vouched, CancellationToken cancellationToken)
    {
        var receivedAt = clock.GetUtcNow();
        // One id sequence for the delivery and its events: no shared lock on the hot path.
        var ids = new EventIds.Sequence(receivedAt);
        var deliveryId = ids.Next();
        var events = parser.Parse(body, deliveryId, receivedAt, ids);
        // The accounts checked are those of the events about to be stored, from this one parse: a
        // subscription's secret never gets an event into another account.
        if (vouched is not null && events.FirstOrDefault(e => e.AccountId is not null && !vouched.Contains(e.AccountId)) is { } foreign)
            return IngestOutcome.Refused($"an update belongs to account {foreign.AccountId}, outside the signing subscription's");
        var result = await writer.WriteAsync(new IngestBatch(new Delivery(deliveryId, receivedAt, contentType, body), events), cancellationToken);
        var immediate = result.Inserted.Where(e => subscriptions.ProcessesImmediately(e.AccountId)).Select(e => e.EventId).ToList();
        if (immediate.Count > 0)
        {
            // After the commit, not before the answer: Meta's acknowledgement never waits on processing.
            _ = Task.Run(() => worker.ProcessNowAsync(immediate, CancellationToken.None), CancellationToken.None);
        }
        return new IngestOutcome(deliveryId, events.Count, result.Duplicates, result.Inserted);
    }
}

/// <param name="Refusal">Why nothing was stored (the signature does not vouch for an update's account), or null.</param>
public sealed record IngestOutcome(string DeliveryId, int Events, int Duplicates, IReadOnlyList<WebhookEvent> Inserted, string? Refusal = null)
{
    public static IngestOutcome Refused(string why) => new("", 0, 0, [], why);
}
