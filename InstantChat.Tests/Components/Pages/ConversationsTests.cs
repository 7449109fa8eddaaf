using Bunit;
using InstantChat.Tests.Parsing;
using InstantChat.Tests.TestSupport;
using ConversationsPage = InstantChat.Web.Components.Pages.Conversations;

namespace InstantChat.Tests.Components.Pages;

public sealed class ConversationsTests() : DashboardContext("viewer")
{
    const string Customer = "7133578946711339";

    /// <summary>
    /// Meta's own shapes, each its own delivery: the customer's message, the business's echo reply,
    /// the customer's ❤️ on the reply, the customer deleting the first message, and reading the reply.
    /// </summary>
    async Task IngestThreadAsync()
    {
        foreach (var fixture in new[] { "messages_text", "messages_echo", "message_reactions_react", "messages_deleted", "messaging_seen" })
            await IngestAsync(Fixture.Load(fixture));
    }

    [Fact]
    public async Task Search_ByTextOrByACommentersName_ListsOnlyThoseThreads()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-1", "where is my refund", sender: "900000001")));
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-2", "love the new colours", sender: "900000002")));
        await IngestAsync(Deliveries.Comment("c-1", "900000002", "cara.design"));
        await ProcessQueueAsync();
        var cut = Render<ConversationsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=conversation-list] .mud-list-item").Count));

        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("refund"));
        cut.WaitForAssertion(() => Assert.Contains("where is my refund", Assert.Single(cut.FindAll("[data-testid=conversation-list] .mud-list-item")).TextContent));

        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("cara.des"));
        cut.WaitForAssertion(() => Assert.Contains("cara.design", Assert.Single(cut.FindAll("[data-testid=conversation-list] .mud-list-item")).TextContent));

        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("zzqx-nothing"));
        cut.WaitForAssertion(() => Assert.Contains("No conversation matches", cut.Find("[data-testid=conversations-empty]").TextContent));
    }

    [Fact]
    public async Task Render_CustomerWhoAlsoCommented_ListShowsTheirName()
    {
        await IngestAsync(Deliveries.Comment("c-1", Customer, "ann.b"));
        await IngestAsync(Fixture.Load("messages_text"));
        await ProcessQueueAsync();

        var cut = Render<ConversationsPage>();

        cut.WaitForAssertion(() => Assert.Contains("ann.b", Assert.Single(cut.FindAll("[data-testid=conversation-list] .mud-list-item")).TextContent));
    }

    [Fact]
    public void Render_NoConversations_ShowsTheEmptyHint()
    {
        var cut = Render<ConversationsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No conversations yet", cut.Find("[data-testid=conversations-empty]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=conversation-list] .mud-list-item"));
        Assert.Contains("Choose a conversation.", cut.Markup);
    }

    [Fact]
    public async Task SelectThread_ProcessedEvents_ChatShowsSidesDeletionReactionAndSeen()
    {
        await IngestThreadAsync();
        await ProcessQueueAsync();

        var cut = Render<ConversationsPage>();

        cut.WaitForAssertion(() => Assert.Contains(Customer, Assert.Single(cut.FindAll("[data-testid=conversation-list] .mud-list-item")).TextContent));
        Assert.Empty(cut.FindAll("[data-testid=chat-thread]"));
        // When it last moved (the whole time on hover); the business replied last, so no "needs reply".
        Assert.NotEmpty(cut.Find("[data-testid=conversation-activity]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=needs-reply]"));

        cut.Find("[data-testid=conversation-list] .mud-list-item").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=chat-message]").Count));
        var messages = cut.FindAll("[data-testid=chat-message]");
        var theirs = messages.Single(m => m.ClassList.Contains("them"));
        var ours = messages.Single(m => m.ClassList.Contains("us"));
        Assert.Contains("Message deleted", theirs.TextContent);
        Assert.Contains("muted", theirs.ClassList);
        Assert.DoesNotContain("Do you ship to Lisbon", theirs.TextContent);
        Assert.Contains("Yes, we ship to Portugal in 3-5 days.", ours.TextContent);
        Assert.Contains("❤️", ours.TextContent);
        Assert.Contains("Seen", ours.TextContent);
        Assert.Contains("account 17841400000000001", cut.Markup);
    }

    [Fact]
    public async Task EventsProcessedWhileOpen_TheThreadAppearsWithoutReload()
    {
        var cut = Render<ConversationsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=conversations-empty]")));

        await IngestAsync(Fixture.Load("messages_text"));
        await ProcessQueueAsync();

        cut.WaitForAssertion(() => Assert.Contains("Do you ship to Lisbon", Assert.Single(cut.FindAll("[data-testid=conversation-list] .mud-list-item")).TextContent),
            TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=conversations-empty]"));
    }
}

public sealed class ConversationsStoreDownTests() : DashboardContext("viewer", storeDown: true)
{
    [Fact]
    public void Render_StoreUnavailable_ShowsTheError()
    {
        var cut = Render<ConversationsPage>();

        cut.WaitForAssertion(() => Assert.Contains("store is unavailable, so conversations could not be loaded", cut.Find("[data-testid=load-error]").TextContent),
            TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=conversations-empty]"));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }
}
