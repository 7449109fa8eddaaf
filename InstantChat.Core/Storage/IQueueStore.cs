using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;

namespace InstantChat.Core.Storage;

/// <summary>
/// The queue is the events table: a claim is an atomic status change with a lease, so several
/// workers (and several hosts on one database) never hold the same event, and a dead worker's
/// events come back when its lease expires.
/// </summary>
public interface IQueueStore
{
    /// <summary>
    /// Atomically takes up to <paramref name="max"/> events that are due (pending with
    /// nextAttemptAt ≤ now, or processing with an expired lease): marks them processing, leased to
    /// <paramref name="owner"/> until now + lease, and counts the attempt.
    /// </summary>
    Task<IReadOnlyList<WebhookEvent>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookEvent>> ClaimAsync(int max, DateTimeOffset now, TimeSpan lease, string owner, CancellationToken cancellationToken) =>
        ClaimAsync(new ClaimRequest(max, now, lease, owner), cancellationToken);

    /// <summary>
    /// Writes the outcome of attempts in one commit. An outcome whose lease was lost (another
    /// worker reclaimed the event) is ignored; the returned events are the ones written.
    /// </summary>
    Task<IReadOnlyList<WebhookEvent>> CompleteAsync(IReadOnlyList<AttemptOutcome> outcomes, string owner, CancellationToken cancellationToken);

    /// <summary>Puts a finished event back in the queue, due now. Fails with a conflict while it is pending or processing.</summary>
    Task<RequeueResult> RequeueAsync(string eventId, DateTimeOffset now, string? by, CancellationToken cancellationToken);

    /// <summary>Puts every finished event matching the filter back in the queue; returns how many.</summary>
    Task<int> RequeueManyAsync(RequeueFilter filter, DateTimeOffset now, string? by, CancellationToken cancellationToken);

    /// <summary>How many events <see cref="RequeueManyAsync"/> would put back now (for a confirmation).</summary>
    Task<long> CountRequeueableAsync(RequeueFilter filter, CancellationToken cancellationToken);

    /// <summary>Events waiting or being processed.</summary>
    Task<long> QueueLengthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds events that did not come with a new delivery (a re-parse of a kept delivery), skipping
    /// the ones whose deduplication key is stored; returns the ones added.
    /// </summary>
    Task<IReadOnlyList<WebhookEvent>> EnqueueAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string eventId, CancellationToken cancellationToken);
}

/// <param name="AccountLimits">At most this many events of an account in one claim (a subscription's batch size).</param>
/// <param name="EventIds">Only these events (processing right after ingest, without waiting for the worker).</param>
public sealed record ClaimRequest(
    int Max,
    DateTimeOffset Now,
    TimeSpan Lease,
    string Owner,
    IReadOnlyDictionary<string, int>? AccountLimits = null,
    IReadOnlyCollection<string>? EventIds = null)
{
    /// <summary>
    /// Which candidates (id, account; in due order) to take: up to <see cref="Max"/>, and no more per
    /// account than its limit. Candidates are read with some slack so limited accounts do not starve the rest.
    /// </summary>
    public List<string> Select(IEnumerable<(string EventId, string? AccountId)> candidates)
    {
        var taken = new List<string>(Max);
        var perAccount = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, account) in candidates)
        {
            if (taken.Count >= Max) break;
            if (account is not null && AccountLimits?.TryGetValue(account, out var limit) == true)
            {
                var n = perAccount.GetValueOrDefault(account);
                if (n >= limit) continue;
                perAccount[account] = n + 1;
            }
            taken.Add(id);
        }
        return taken;
    }

    public int CandidateCount => AccountLimits is { Count: > 0 } ? Max * 4 : Max;
}

/// <summary>How one attempt ended: a final status, or pending again at <paramref name="NextAttemptAt"/>.</summary>
public sealed record AttemptOutcome(
    WebhookEvent Event,
    ProcessingStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    double ProcessingMs,
    string? Error,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<Outbound.OutboundTarget>? Outbound = null);

/// <param name="RetriedBy">Who put the event back in the queue after this attempt (a manual retry), and when.</param>
public sealed record AttemptRecord(int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, ProcessingStatus Outcome, string? Error, double ProcessingMs,
    string? RetriedBy = null, DateTimeOffset? RetriedAt = null);

public enum RequeueResult { Queued, NotFound, Conflict }

/// <summary>Which finished events a bulk retry puts back; status defaults to failed.</summary>
public sealed record RequeueFilter(
    ProcessingStatus? Status, string? EventType, DateTimeOffset? From, DateTimeOffset? To, string? AccountId = null, string? SenderId = null,
    string? Platform = null);

/// <summary>
/// The attempt history as the API shows it. An attempt the processor made and that ended well has
/// no history row — it is the event row itself (status, times, error) — so the history adds it when
/// its own rows do not hold it yet (a retry or a manual requeue writes it down first).
/// </summary>
public static class AttemptHistory
{
    public static IReadOnlyList<AttemptRecord> WithCurrent(IReadOnlyList<AttemptRecord> history, WebhookEvent? e) =>
        Current(e) is { } current && !history.Any(a => a.Attempt == current.Attempt && a.FinishedAt == current.FinishedAt)
            ? [.. history, current]
            : history;

    /// <summary>The event's last finished attempt, from its row; null while it waits or runs.</summary>
    public static AttemptRecord? Current(WebhookEvent? e)
    {
        if (e is not { Attempts: > 0, ProcessedAt: { } finished } || e.ProcessedStatus is ProcessingStatus.Pending or ProcessingStatus.Processing) return null;
        var ms = e.ProcessingMs ?? 0;
        return new AttemptRecord(e.Attempts, finished - TimeSpan.FromMilliseconds(ms), finished, e.ProcessedStatus, e.LastError, ms);
    }
}
