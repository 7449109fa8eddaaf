using System.Collections.Concurrent;
using InstantChat.Core.EventModel;
using InstantChat.Core.People;
using InstantChat.Core.Storage;

namespace InstantChat.Web.Components.Shared;

/// <summary>
/// Names for the ids the pages show, from the participant directory, cached for the whole host (a
/// name changes rarely; a minute late is fine): one directory read per batch of unknown ids, never
/// one per row. A store that does not answer leaves the ids showing.
/// </summary>
public sealed class ParticipantNames(IParticipantStore store, TimeProvider clock)
{
    static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    const int MaxCached = 20_000;
    const int MaxAsked = 500;
    readonly ConcurrentDictionary<string, (Participant? Who, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    /// <summary>The known ones among <paramref name="ids"/>.</summary>
    public async Task<IReadOnlyDictionary<string, Participant>> FindAsync(IEnumerable<string?> ids, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var wanted = ids.OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var stale = wanted.Where(id => !_cache.TryGetValue(id, out var c) || now - c.At > Fresh).Take(MaxAsked).ToList();
        if (stale.Count > 0)
        {
            try
            {
                var found = await store.FindAsync(stale, cancellationToken);
                if (_cache.Count > MaxCached) _cache.Clear(); // bounded: a busy host asks again, that is all
                foreach (var id in stale) _cache[id] = (found.GetValueOrDefault(id), now);
            }
            catch (StoreUnavailableException)
            {
                // Ids it is, until the store answers again.
            }
        }
        var known = new Dictionary<string, Participant>(StringComparer.Ordinal);
        foreach (var id in wanted)
            if (_cache.TryGetValue(id, out var c) && c.Who is { } who) known[id] = who;
        return known;
    }

    /// <summary>
    /// The events for a list or a notification, each sender named from the directory where the event
    /// itself carries no name (a direct message names nobody; the same person's comment did).
    /// </summary>
    public async Task<IReadOnlyList<WebhookEvent>> NameAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken = default)
    {
        var names = await FindAsync(events.Where(e => e.UserInfo.Username is null && e.SenderId != e.AccountId).Select(e => e.SenderId), cancellationToken);
        return events.Select(e => e switch
        {
            { UserInfo.Username: not null } => e,
            { SenderId: { } sender, AccountId: { } account } when sender == account => e with { UserInfo = e.UserInfo with { Username = Format.Business(account) } },
            { SenderId: { } sender } when names.TryGetValue(sender, out var who) =>
                e with { UserInfo = new UserInfo(who.Username, who.FullName ?? e.UserInfo.FullName, who.ProfilePicture ?? e.UserInfo.ProfilePicture) },
            _ => e,
        }).ToList();
    }
}
