using InstantChat.Core.Common;
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
    /// <remarks>Not cancellable: once queued, the append happens either way (see <see cref="IngestWriter.WriteAsync"/>).</remarks>
    public Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string? contentType, IReadOnlyCollection<string>? vouched = null)
    {
        if (progress.Pending >= _maxBacklog) return Task.FromException<IngestOutcome>(new BacklogFullException(progress.Pending, _maxBacklog));
        var receivedAt = clock.GetUtcNow();
        return writer.WriteAsync(new LogAppend(EventIds.New(receivedAt), receivedAt, contentType, body, vouched));
    }
}

/// <param name="Seq">Where the delivery is in the log.</param>
public sealed record IngestOutcome(string DeliveryId, long Seq);

/// <summary>More acknowledged deliveries wait for processing than WEBHOOK_MAX_BACKLOG: refuse, Meta retries.</summary>
public sealed class BacklogFullException(long pending, long max)
    : Exception($"{pending} acknowledged deliveries wait for processing (WEBHOOK_MAX_BACKLOG is {max})");
