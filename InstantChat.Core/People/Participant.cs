using InstantChat.Core.EventModel;

namespace InstantChat.Core.People;

/// <summary>
/// Someone an account talks with, as the events that carried their name describe them: comments,
/// live comments and mentions bring a username, test events and some messages a userInfo. The
/// dashboard shows these names instead of 16-digit ids.
/// </summary>
public sealed record Participant(string Id, string? Username, string? FullName, string? ProfilePicture, DateTimeOffset LastSeen)
{
    /// <summary>What a person is called on screen: the username, else the full name, else null (show the id).</summary>
    public string? DisplayName => Username is { Length: > 0 } u ? u : FullName is { Length: > 0 } f ? f : null;
}

public static class Participants
{
    /// <summary>
    /// One entry per sender among <paramref name="events"/> that carry a name, with the newest name
    /// and the latest time seen: what a commit adds to the directory.
    /// </summary>
    public static IReadOnlyList<Participant> Seen(IEnumerable<WebhookEvent> events) =>
        events.Where(e => e.SenderId is { Length: > 0 } && (e.UserInfo.Username ?? e.UserInfo.FullName) is not null)
            .GroupBy(e => e.SenderId!, StringComparer.Ordinal)
            .Select(g =>
            {
                var newest = g.MaxBy(e => e.Timestamp)!;
                return new Participant(g.Key,
                    newest.UserInfo.Username ?? g.Select(e => e.UserInfo.Username).LastOrDefault(u => u is not null),
                    newest.UserInfo.FullName ?? g.Select(e => e.UserInfo.FullName).LastOrDefault(f => f is not null),
                    newest.UserInfo.ProfilePicture ?? g.Select(e => e.UserInfo.ProfilePicture).LastOrDefault(p => p is not null),
                    newest.Timestamp);
            })
            .ToList();
}
