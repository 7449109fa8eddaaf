namespace InstantChat.Core.Conversations;

/// <summary>
/// Folding several writes to one message row into one, with the effect of applying them in order:
/// content fields come from the last write that carries the message itself, marks (deleted, seen,
/// unsupported) only ever switch on, and the optional links keep the last one given. A batch then
/// writes each row once.
/// </summary>
public static class MessageWrites
{
    public static MessageWrite Merge(MessageWrite earlier, MessageWrite later)
    {
        var content = later.HasContent || !earlier.HasContent ? later : earlier;
        return content with
        {
            HasContent = earlier.HasContent || later.HasContent,
            IsDeleted = earlier.IsDeleted || later.IsDeleted,
            SeenMarker = earlier.SeenMarker || later.SeenMarker,
            IsUnsupported = earlier.IsUnsupported || later.IsUnsupported,
            ReplyToMid = later.ReplyToMid ?? earlier.ReplyToMid,
            Postback = later.Postback ?? earlier.Postback,
            Referral = later.Referral ?? earlier.Referral,
            DeliveryStatus = Math.Max(earlier.DeliveryStatus, later.DeliveryStatus),
            DeliveryError = later.DeliveryError ?? earlier.DeliveryError,
            // Without content the row only gets a first timestamp (an insert's); with content, the content's.
            Timestamp = content.HasContent ? content.Timestamp : earlier.Timestamp,
        };
    }

    /// <summary>One write per message row, in first-seen order.</summary>
    public static List<MessageWrite> MergeByRow(IEnumerable<MessageWrite> writes)
    {
        var rows = new Dictionary<(string, string), int>();
        var merged = new List<MessageWrite>();
        foreach (var w in writes)
        {
            if (rows.TryGetValue((w.AccountId, w.Mid), out var i)) merged[i] = Merge(merged[i], w);
            else
            {
                rows[(w.AccountId, w.Mid)] = merged.Count;
                merged.Add(w);
            }
        }
        return merged;
    }

    /// <summary>
    /// What a batch's messages change in each conversation's row, folded: the newest message time,
    /// the newest business reply's, and the text that wins by (timestamp, mid). Applying one summary
    /// ends where applying each message would (every field is a maximum).
    /// </summary>
    public static IEnumerable<ConversationSummary> Summaries(IEnumerable<MessageWrite> writes)
    {
        // A message the business sent through the API arrives only as statuses: its "sent" is its time.
        foreach (var conversation in writes.Where(w => w.HasContent || w.DeliveryStatus == 1).GroupBy(w => w.ConversationId))
        {
            var text = conversation.Where(w => w.Text is not null)
                .MaxBy(w => (w.Timestamp, w.Mid), Comparer<(DateTimeOffset, string)>.Create((a, b) =>
                    a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : string.CompareOrdinal(a.Item2, b.Item2)));
            var business = conversation.Where(w => w.FromBusiness || w.DeliveryStatus > 0).Select(w => w.Timestamp.ToUnixTimeMilliseconds()).DefaultIfEmpty(0).Max();
            yield return new ConversationSummary(conversation.Key, conversation.Max(w => w.Timestamp.ToUnixTimeMilliseconds()), business,
                text?.Text, text?.Timestamp.ToUnixTimeMilliseconds() ?? 0, text?.Mid ?? "");
        }
    }

    /// <summary>Per (message, sender), the reaction that wins whatever the order: the newest; on a tie, an unreact.</summary>
    public static List<ReactionWrite> Winners(IEnumerable<ReactionWrite> writes) =>
        writes.GroupBy(r => (r.AccountId, r.Mid, r.SenderId))
            .Select(g => g.OrderBy(r => r.Timestamp).ThenBy(r => r.Action == "unreact").Last())
            .ToList();

    /// <summary>Whether <paramref name="candidate"/> replaces <paramref name="stored"/> (same rule as <see cref="Winners"/>).</summary>
    public static bool Beats(ReactionWrite candidate, DateTimeOffset storedAt) =>
        candidate.Timestamp > storedAt || (candidate.Timestamp == storedAt && candidate.Action == "unreact");
}

/// <summary>A batch's effect on one conversation row (times in Unix milliseconds; 0: nothing of that kind, Text null: no text).</summary>
public sealed record ConversationSummary(string ConversationId, long MessageAt, long BusinessAt, string? Text, long TextAt, string TextMid);
