using System.Globalization;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// Turns the list endpoint's query string into an <see cref="EventQuery"/>, collecting one message
/// per bad parameter so the 400 names every field at once.
/// </summary>
static class EventQueryParser
{
    const int MaxIdLength = 128;
    const int MaxTextLength = 200;

    public static EventQuery Parse(IQueryCollection q, out Dictionary<string, string[]> errors)
    {
        var bad = new Dictionary<string, string[]>();
        string? Text(string name, int max)
        {
            var value = q[name].ToString();
            if (value.Length == 0) return null;
            if (value.Length <= max) return value;
            bad[name] = [$"{name} must be at most {max} characters."];
            return null;
        }
        DateTimeOffset? Time(string name)
        {
            var value = q[name].ToString();
            if (value.Length == 0) return null;
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUniversalTime();
            bad[name] = [$"{name} must be an ISO 8601 date-time, e.g. 2026-11-28T12:00:00Z."];
            return null;
        }

        var eventType = Text("eventType", 64);
        if (eventType is not null && !EventTypes.IsWellFormed(eventType))
            bad["eventType"] = ["eventType must be a field name: lowercase letters, digits and underscores."];

        ProcessingStatus? status = null;
        if (q["status"].ToString() is { Length: > 0 } s)
        {
            if (ProcessingStatuses.TryParse(s, out var parsed)) status = parsed;
            else bad["status"] = ["status must be one of pending, processing, completed, failed, skipped."];
        }

        var platform = Text("platform", 16);
        if (platform is not null && !Platforms.IsKnown(platform))
            bad["platform"] = [$"platform must be one of {string.Join(", ", Platforms.All)}."];

        var limit = Paging.Limit(q["limit"].ToString(), bad);

        var cursor = Text("cursor", EventIds.Length);
        if (q["cursor"].ToString() is { Length: > 0 } c && !EventIds.IsValid(c))
            bad["cursor"] = ["cursor must be a nextCursor value returned by this endpoint."];

        var from = Time("from");
        var to = Time("to");
        if (from > to) bad["to"] = ["to must not be earlier than from."];

        var text = Text("q", MaxTextLength);
        if (text is not null && !TextSearch.IsSearchable(text)) bad["q"] = [TextSearch.TooShort("q")];
        var query = new EventQuery(eventType, status, Text("accountId", MaxIdLength), Text("senderId", MaxIdLength),
            text, from, to, limit, cursor, Platforms.IsKnown(platform) ? platform : null);
        errors = bad;
        return query;
    }
}
