using System.Collections.Concurrent;

namespace InstantChat.Core.Security;

/// <summary>
/// Users by id for the session checks that run on every cookie request, circuit and hub connection:
/// a copy is at most <see cref="MaxAge"/> old, and a change made on this host drops it at once
/// (<see cref="UserService"/> calls <see cref="Forget"/>). A change made on another host is seen
/// within MaxAge; with the 10 s re-check of circuits and hub connections that is within 30 s.
/// </summary>
public sealed class UserCache(IUserStore store, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(20);
    // Ids come from data-protected cookies, so only real (or deleted) users' ids get here; the cap is a backstop.
    const int Capacity = 10_000;
    readonly ConcurrentDictionary<string, (User? User, DateTimeOffset LoadedAt)> _users = new(StringComparer.Ordinal);

    public async Task<User?> FindAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_users.TryGetValue(userId, out var cached) && now - cached.LoadedAt < MaxAge) return cached.User;
        var user = await store.FindAsync(userId, ct);
        if (_users.Count >= Capacity) _users.Clear();
        _users[userId] = (user, now);
        return user;
    }

    public void Forget(string userId) => _users.TryRemove(userId, out _);
}
