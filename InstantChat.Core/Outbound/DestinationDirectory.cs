using InstantChat.Core.EventModel;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Outbound;

/// <summary>The destination an event is forwarded to, as the processor's commit needs it.</summary>
public sealed record OutboundTarget(string DestinationId, Ordering Ordering);

/// <summary>
/// The enabled destinations, in memory for the processor: which of them an event goes to. Reloaded
/// at once after a change on this host and every 5 s for changes made on others (a destination
/// created on another host receives the events processed here from then on; replay covers before).
/// </summary>
public sealed class DestinationDirectory(IDestinationStore store, TimeProvider clock, ILogger<DestinationDirectory> logger) : StoreMirror(clock, logger)
{
    static readonly IReadOnlyList<OutboundTarget> None = [];
    volatile IReadOnlyList<Destination> _enabled = [];

    public IReadOnlyList<Destination> Enabled => _enabled;

    /// <summary>
    /// The destinations <paramref name="e"/> goes to: events that finished processing (completed, or
    /// skipped: no handler) and match a filter. A failed event is not forwarded; one pending a retry
    /// is forwarded when its retry completes.
    /// </summary>
    public IReadOnlyList<OutboundTarget> TargetsFor(WebhookEvent e)
    {
        var enabled = _enabled;
        if (enabled.Count == 0 || e.ProcessedStatus is not (ProcessingStatus.Completed or ProcessingStatus.Skipped)) return None;
        List<OutboundTarget>? targets = null;
        foreach (var d in enabled)
            if (d.Filter.Matches(e)) (targets ??= []).Add(new OutboundTarget(d.DestinationId, d.Ordering));
        return targets ?? None;
    }

    public override async Task ReloadAsync(CancellationToken cancellationToken) =>
        _enabled = (await store.ListAsync(cancellationToken)).Where(d => d.Enabled).ToList();
}
