using Bunit;
using InstantChat.Core.Conversations;
using InstantChat.Web.Components.Shared;

namespace InstantChat.Tests.Components.Shared;

public sealed class ChatThreadTests() : DashboardContext("viewer")
{
    static ThreadMessage Business(string mid, string? text, string? status, DeliveryError? error = null, bool seen = false) =>
        new(mid, true, text, [], null, false, false, [], seen, null, null, DateTimeOffset.UnixEpoch.AddSeconds(1_764_331_260))
        {
            DeliveryStatus = status,
            DeliveryError = error,
        };

    [Fact]
    public void Render_BusinessMessagesByStatus_SentDeliveredSeenAndFailedWithMetasError()
    {
        var cut = Render<ChatThread>(p => p.Add(c => c.Messages, new List<ThreadMessage>
        {
            Business("w1", null, "sent"),
            Business("w2", "Your order shipped", "delivered"),
            Business("w3", "Thanks!", "read", seen: true),
            Business("w4", null, "failed", new DeliveryError("131047", "Re-engagement message", "More than 24 hours have passed since the customer last replied.")),
        }));

        var statuses = cut.FindAll("[data-testid=delivery-status]").Select(s => s.TextContent.Trim(' ', '·')).ToList();
        Assert.Equal(["✓ Sent", "✓✓ Delivered", "✓✓ Seen", "⚠ Failed"], statuses.Select(s => s.Trim()));
        var error = Assert.Single(cut.FindAll("[data-testid=delivery-error]"));
        Assert.Equal("Not delivered: 131047 Re-engagement message — More than 24 hours have passed since the customer last replied.", error.TextContent.Trim());
        // Sent through the API: the webhooks carry only its statuses, and the thread says so.
        Assert.Contains("(sent through the API: content not in the webhooks)", cut.FindAll("[data-testid=chat-message]")[0].TextContent);
        Assert.DoesNotContain("(no content yet)", cut.Markup);
    }
}
