using InstantChat.Core.Parsing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Processing;

/// <summary>
/// A retried <c>unknown</c> event re-parses the delivery bytes it came from: after a parser fix the
/// retry recovers it into proper events (deduplicated as usual, queued for their first attempt); if
/// it still does not parse, it fails again.
/// </summary>
public sealed class Reparser(IEventStore events, IQueueStore queue, MetaParser parser, QueueSignal signal)
{
    public async Task RecoverAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var delivery = await events.FindDeliveryAsync(e.DeliveryId, cancellationToken)
            ?? throw new InvalidDataException($"delivery {e.DeliveryId} is no longer stored");
        var parsed = parser.Parse(delivery.Body, delivery.DeliveryId, delivery.ReceivedAt);
        if (parsed.FirstOrDefault(p => p.DeduplicationKey == e.DeduplicationKey) is { } still)
            throw new InvalidDataException(still.LastError ?? "still unparseable");
        await queue.EnqueueAsync(parsed, cancellationToken);
        signal.Notify();
    }
}
