using System.Text;
using System.Text.Json.Nodes;
using InstantChat.Core.EventModel;
using InstantChat.Core.Parsing;

namespace InstantChat.Tests.Parsing;

/// <summary>What the parser tests of every platform share: one delivery id and receive time, and the checks every parsed event passes.</summary>
static class ParserChecks
{
    public const string DeliveryId = "01KB5Z8Q3M4N5P6R7S8T9V0W1X";

    /// <summary>When the delivery was received: an hour after the fixtures' updates, so no fallback can pass for it.</summary>
    public static readonly DateTimeOffset ReceivedAt = new(2025, 11, 28, 13, 0, 0, 250, TimeSpan.Zero);

    /// <summary>An instant of 2025-11-28, the day of every fixture's updates.</summary>
    public static DateTimeOffset Utc(int hour, int minute, int second, int millisecond = 0) =>
        new(2025, 11, 28, hour, minute, second, millisecond, TimeSpan.Zero);

    public static IReadOnlyList<WebhookEvent> Parse(byte[] body) => new MetaParser().Parse(body, DeliveryId, ReceivedAt);

    public static IReadOnlyList<WebhookEvent> Parse(string body) => Parse(Encoding.UTF8.GetBytes(body));

    /// <summary>The fields every event of a parsed update shares, whatever its kind; its payload is <paramref name="update"/>.</summary>
    public static void AssertParsed(WebhookEvent e, JsonNode update, string platform = Platforms.Instagram)
    {
        Assert.Equal(platform, e.Platform);
        Assert.Equal(DeliveryId, e.DeliveryId);
        Assert.Equal(ReceivedAt, e.ReceivedAt);
        Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
        Assert.Equal(EventIds.Length, e.EventId.Length);
        Assert.True(EventIds.IsValid(e.EventId), e.EventId);
        Assert.Equal(ProcessingStatus.Pending, e.ProcessedStatus);
        Assert.Null(e.LastError);
        Assert.Equal(0, e.Attempts);
        Assert.Null(e.ProcessedAt);
        Assert.Null(e.ProcessingMs);
        Assert.Equal(ReceivedAt, e.NextAttemptAt); // due at once
        Assert.NotNull(e.Payload);
        var payload = JsonNode.Parse(e.Payload);
        Assert.True(JsonNode.DeepEquals(update, payload), $"payload is not the single update:\n{e.Payload}\nexpected:\n{update.ToJsonString()}");
    }

    public static void AssertHashKey(string prefix, string key)
    {
        Assert.StartsWith(prefix + ":h:", key, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", key[(prefix.Length + 3)..]);
    }
}
