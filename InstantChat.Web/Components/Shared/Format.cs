using System.Globalization;
using InstantChat.Core.EventModel;
using MudBlazor;

namespace InstantChat.Web.Components.Shared;

/// <summary>How the dashboard writes times, numbers and statuses. Times are UTC: the server does not know the viewer's zone.</summary>
public static class Format
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset? t) =>
        t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>An absolute time in the viewer's zone (UTC, said so, until the browser has told it).</summary>
    public static string Local(DateTimeOffset t, TimeSpan? offset) => offset is { } o
        ? t.ToOffset(o).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : DateTime(t);

    /// <summary>When a conversation last moved, as a list shows it: the time today, else the date (viewer's zone).</summary>
    public static string Activity(DateTimeOffset? t, TimeSpan? offset, DateTimeOffset now)
    {
        if (t is not { } at) return "";
        var zone = offset ?? TimeSpan.Zero;
        var (local, today) = (at.ToOffset(zone), now.ToOffset(zone));
        return local.ToString(local.Date == today.Date ? "HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static string Ago(DateTimeOffset t, DateTimeOffset now)
    {
        var d = now - t;
        if (d < TimeSpan.FromSeconds(5)) return "just now";
        if (d < TimeSpan.FromMinutes(1)) return $"{(int)d.TotalSeconds} s ago";
        if (d < TimeSpan.FromHours(1)) return $"{(int)d.TotalMinutes} min ago";
        if (d < TimeSpan.FromDays(1)) return $"{(int)d.TotalHours} h ago";
        return t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static string Number(double n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>"1 event", "2 events", "1,234 events": a count with its noun agreeing.</summary>
    public static string Count(long n, string singular, string? plural = null) => $"{Number(n)} {(n == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>A long id by its last digits ("…000001"), for a one-line row; the whole id goes in a title.</summary>
    public static string ShortId(string? id) => id is { Length: > 8 } ? "…" + id[^6..] : id ?? "";

    /// <summary>What the business's own messages are shown as (its account is their sender): the business, not an id.</summary>
    public static string Business(string accountId) => $"business {ShortId(accountId)}";

    public static string Percent(double ratio) => ratio.ToString("0.#%", CultureInfo.InvariantCulture);

    /// <summary>A duration as people read it: "850 ms", "2.5 s".</summary>
    public static string Duration(double ms) => ms < 1_000 ? $"{ms:0} ms" : $"{(ms / 1_000).ToString("0.#", CultureInfo.InvariantCulture)} s";

    public static Color StatusColor(ProcessingStatus s) => s switch
    {
        ProcessingStatus.Completed => Color.Success,
        ProcessingStatus.Failed => Color.Error,
        ProcessingStatus.Processing => Color.Info,
        ProcessingStatus.Skipped => Color.Default,
        _ => Color.Warning,
    };

    /// <summary>What a row says of an event: its text, or for events without text what happened ("seen", "📷 image").</summary>
    public static string Summary(WebhookEvent e) => e.Content.Text is { Length: > 0 } text ? text : e.EventType switch
    {
        EventTypes.MessagingSeen => "seen",
        EventTypes.MessageReactions => "reacted",
        EventTypes.MessagingPostbacks => "tapped a button",
        EventTypes.MessagingReferral => "came from a referral",
        EventTypes.Mentions => "mentioned the account",
        _ => e.Content.MediaType switch
        {
            "image" => "📷 image",
            "video" => "🎥 video",
            "audio" => "🎤 audio",
            "file" => "📎 file",
            "share" or "story_mention" => "↗ shared post",
            null => "",
            var other => $"📎 {other}",
        },
    };

    public static string Truncate(string? s, int max) => s is null ? "" : s.Length <= max ? s : string.Concat(s.AsSpan(0, max - 1), "…");
}
