using InstantChat.Core.EventModel;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Ingest;

/// <summary>
/// A verified delivery in, appended durably to the log out: that is all the acknowledgement waits
/// for. Transport-free: the endpoint owns HTTP. Refuses at once (the caller answers 503) when more
/// acknowledged deliveries wait for processing than WEBHOOK_MAX_BACKLOG.
/// </summary>
public sealed class WebhookIngestor(IngestWriter writer, LogProgress progress, IOptions<WebhookOptions> options, TimeProvider clock)
{
    readonly long _maxBacklog = options.Value.MaxBacklog;

    /// <param name="vouched">The accounts the signature vouches for (a subscription's secret), or null for any.</param>
    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string? contentType, IReadOnlyCollection<string>? vouched, CancellationToken cancellationToken)
    {
        if (progress.Pending >= _maxBacklog) throw new BacklogFullException(progress.Pending, _maxBacklog);
        var receivedAt = clock.GetUtcNow();
        var deliveryId = EventIds.New(receivedAt);
        var seq = await writer.WriteAsync(new LogAppend(deliveryId, receivedAt, contentType, body, vouched), cancellationToken);
        return new IngestOutcome(deliveryId, seq);
    }

    public Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string? contentType, CancellationToken cancellationToken) =>
        IngestAsync(body, contentType, null, cancellationToken);
}

/// <param name="Seq">Where the delivery is in the log.</param>
public sealed record IngestOutcome(string DeliveryId, long Seq);

/// <summary>More acknowledged deliveries wait for processing than WEBHOOK_MAX_BACKLOG: refuse, Meta retries.</summary>
public sealed class BacklogFullException(long pending, long max)
    : Exception($"{pending} acknowledged deliveries wait for processing (WEBHOOK_MAX_BACKLOG is {max})");
