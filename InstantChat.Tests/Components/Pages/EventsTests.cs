using System.Text;
using AngleSharp.Dom;
using Bunit;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Components.Pages;

static class EventsPage
{
    public static IReadOnlyList<IElement> Rows<T>(IRenderedComponent<T> cut) where T : IComponent =>
        cut.FindAll("[data-testid=events-table] tbody tr.mud-table-row-clickable");

    public static string Status(IElement row) => row.QuerySelector("[data-testid=status-chip]")!.TextContent.Trim();

    public static IElement Row<T>(IRenderedComponent<T> cut, string text) where T : IComponent => Rows(cut).Single(r => r.TextContent.Contains(text, StringComparison.Ordinal));
}

public sealed class EventsTests() : DashboardContext("admin")
{
    IEventStore Store => Services.GetRequiredService<IEventStore>();

    /// <summary>"done" completed, then "broken" failed with "boom".</summary>
    async Task SeedCompletedAndFailedAsync()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-done", "done")));
        await FinishAllAsync(ProcessingStatus.Completed);
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-broken", "broken")));
        await FinishAllAsync(ProcessingStatus.Failed, "HttpRequestException: boom");
    }

    async Task<WebhookEvent> EventWithTextAsync(string text) =>
        (await Store.ListAsync(new EventQuery(Text: text), CancellationToken.None)).Items.Single();

    [Fact]
    public async Task Render_BusinessReply_RowShowsTheBusinessNotAnId()
    {
        await IngestAsync(InstantChat.Tests.Parsing.Fixture.Load("messages_echo"));
        var echo = (await Store.ListAsync(new EventQuery(), CancellationToken.None)).Items.Single();

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Contains(InstantChat.Web.Components.Shared.Format.Business(echo.AccountId!), Assert.Single(EventsPage.Rows(cut)).TextContent));
    }

    [Fact]
    public async Task OpenEvent_FailedAndScheduledAgain_AttemptSaysRetryAndWhen()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-later", "try later")));
        await FinishAllAsync(ProcessingStatus.Pending, "HttpRequestException: timeout", DateTimeOffset.UtcNow.AddMinutes(5));
        var cut = Render<Events>();
        cut.WaitForAssertion(() => Assert.Single(EventsPage.Rows(cut)));

        EventsPage.Row(cut, "try later").Click();

        // The processor's first attempt completed; the one after the requeue failed and waits for its retry.
        cut.WaitForAssertion(() => Assert.Contains("failed → retry", cut.FindAll("[data-testid=attempt-outcome]")[^1].TextContent));
        Assert.Contains(" at ", cut.FindAll("[data-testid=attempt-outcome]")[^1].TextContent);
        Assert.DoesNotContain("pending", cut.Find("[data-testid=detail-attempts]").TextContent);
        Assert.Equal(["1", "2"], cut.FindAll("[data-testid=detail-attempts] tbody tr:not([data-testid=manual-retry])").Select(r => r.QuerySelector("td")!.TextContent));
        // Between them, the manual retry that put it back, with who asked.
        Assert.Contains("manual retry by tester at", cut.Find("[data-testid=manual-retry]").TextContent);
    }

    [Fact]
    public async Task Render_MessageFromSomeoneWhoCommented_RowShowsTheirName()
    {
        await IngestAsync(Deliveries.Comment("c-1", "900000001", "ann.b"));
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-1", "hi there"))); // the same sender, no name of its own

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Contains("ann.b", EventsPage.Row(cut, "hi there").TextContent));
        Assert.NotNull(EventsPage.Row(cut, "hi there").QuerySelector("td[title='900000001']")); // the id on hover
    }

    [Fact]
    public void Render_NoEvents_ShowsNoEventsYet()
    {
        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Equal("No events yet.", cut.Find("[data-testid=events-empty]").TextContent.Trim()));
        Assert.Empty(EventsPage.Rows(cut));
        Assert.Empty(cut.FindAll("[data-testid=load-error]"));
    }

    [Fact]
    public async Task Render_WithEvents_OneRowEachWithTypeStatusTextAndAccount()
    {
        await SeedCompletedAndFailedAsync();

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));
        var broken = EventsPage.Row(cut, "broken");
        Assert.Equal("failed", EventsPage.Status(broken));
        Assert.Contains("messages", broken.TextContent);
        // The account as its last digits, the whole id on hover: one line a row at 1280 px.
        Assert.Equal(Deliveries.Account, broken.QuerySelector("td[data-label=Account]")?.GetAttribute("title"));
        Assert.Contains("…" + Deliveries.Account[^6..], broken.TextContent);
        Assert.Equal("completed", EventsPage.Status(EventsPage.Row(cut, "done")));
        // Newest first.
        Assert.Contains("broken", EventsPage.Rows(cut)[0].TextContent);
        Assert.Empty(cut.FindAll("[data-testid=events-empty]"));
        // The type is a real link (keyboard, new tab): it names the event in the URL.
        var link = broken.QuerySelector("a[data-testid=open-event]");
        Assert.NotNull(link);
        Assert.Equal($"/events?eventId={(await EventWithTextAsync("broken")).EventId}", link.GetAttribute("href"));
        // Customers' text may be right-to-left: its direction comes from the text.
        Assert.Equal("auto", broken.QuerySelector("td[data-label=Text]")?.GetAttribute("dir"));
    }

    [Fact]
    public async Task StatusFilter_Failed_OnlyFailedRows_ThenSkipped_NoMatchMessage()
    {
        await SeedCompletedAndFailedAsync();
        var cut = RenderWithProviders<Events>();
        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));

        Mud.Choose(cut, cut.Find("[data-testid=filter-status]"), "failed");

        cut.WaitForAssertion(() => Assert.Contains("broken", Assert.Single(EventsPage.Rows(cut)).TextContent));
        Assert.Contains("Retry all failed matching", cut.Find("[data-testid=retry-matching]").TextContent);
        // The filter is in the address: shareable, and Back returns to the unfiltered list.
        Assert.Contains("?status=failed", Services.GetRequiredService<NavigationManager>().Uri);

        Mud.Choose(cut, cut.Find("[data-testid=filter-status]"), "skipped");

        cut.WaitForAssertion(() => Assert.Equal("No events match these filters.", cut.Find("[data-testid=events-empty]").TextContent.Trim()));
        Assert.Empty(EventsPage.Rows(cut));
    }

    [Fact]
    public async Task PlatformFilter_WhatsApp_OnlyItsRowsWithItsIconAndTheAddressSaysSo()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-ig", "from instagram")));
        await IngestAsync(InstantChat.Tests.Parsing.Fixture.Load("WhatsApp", "messages_text"));
        await FinishAllAsync(ProcessingStatus.Completed);
        var cut = RenderWithProviders<Events>();
        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));
        Assert.Equal(["instagram", "whatsapp"], cut.FindAll("[data-testid=platform-icon]").Select(i => i.GetAttribute("data-platform")).Order());

        Mud.Choose(cut, cut.Find("[data-testid=filter-platform]"), "WhatsApp");

        cut.WaitForAssertion(() => Assert.Contains("Hi! Do you have the blue jacket in size M?", Assert.Single(EventsPage.Rows(cut)).TextContent));
        var row = Assert.Single(EventsPage.Rows(cut));
        Assert.Equal("whatsapp", row.QuerySelector("[data-testid=platform-icon]")!.GetAttribute("data-platform"));
        Assert.Contains("Kerry Fisher", row.TextContent); // the contact's profile name, not the wa_id
        Assert.Contains("platform=whatsapp", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task PlatformInTheAddress_FiltersFromTheStart()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-ig", "from instagram")));
        await IngestAsync(InstantChat.Tests.Parsing.Fixture.Load("Messenger", "messages_text"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/events?platform=messenger");

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Contains("Is the blue jacket still available?", Assert.Single(EventsPage.Rows(cut)).TextContent));
        Assert.Equal("1 matching", cut.Find("[data-testid=match-count]").TextContent);
    }

    [Fact]
    public async Task StatusInTheAddress_FiltersFromTheStart()
    {
        await SeedCompletedAndFailedAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/events?status=completed");

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Equal("completed", EventsPage.Status(Assert.Single(EventsPage.Rows(cut)))));
        Assert.Equal("1 matching", cut.Find("[data-testid=match-count]").TextContent);
    }

    [Fact]
    public async Task Paging_SixtyEvents_CountSaysAllOfThemNotOnePage()
    {
        await IngestAsync(Deliveries.Envelope(Enumerable.Range(0, 60).Select(i => Deliveries.Message($"n-{i:00}", $"text {i:00}")).ToArray()));

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Equal("60 matching", cut.Find("[data-testid=match-count]").TextContent));
        Assert.Equal(50, EventsPage.Rows(cut).Count);
    }

    [Fact]
    public async Task Paging_MoreThanAPage_OlderShowsTheRestThenNewerReturns()
    {
        var messages = Enumerable.Range(0, 60).Select(i => Deliveries.Message($"page-{i:00}", $"text {i:00}")).ToArray();
        await IngestAsync(Deliveries.Envelope(messages));
        var cut = Render<Events>();
        cut.WaitForAssertion(() => Assert.Equal(50, EventsPage.Rows(cut).Count));
        var first = EventsPage.Rows(cut).Select(r => r.TextContent).ToList();
        Assert.True(cut.Find("[data-testid=page-newer]").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=page-older]").HasAttribute("disabled"));

        cut.Find("[data-testid=page-older]").Click();

        cut.WaitForAssertion(() => Assert.Equal(10, EventsPage.Rows(cut).Count));
        var second = EventsPage.Rows(cut).Select(r => r.TextContent).ToList();
        Assert.Empty(first.Intersect(second));
        Assert.Equal(60, first.Concat(second).Distinct().Count());
        Assert.Contains("Page 2", cut.Markup);
        Assert.True(cut.Find("[data-testid=page-older]").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=page-newer]").HasAttribute("disabled"));

        cut.Find("[data-testid=page-newer]").Click();

        cut.WaitForAssertion(() => Assert.Equal(first, EventsPage.Rows(cut).Select(r => r.TextContent).ToList()));
        Assert.Contains("Page 1", cut.Markup);
        Assert.True(cut.Find("[data-testid=page-newer]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ClickRow_FailedEvent_DrawerShowsFieldsErrorAttemptsPayloadAndRawBytes()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-done", "done")));
        await FinishAllAsync(ProcessingStatus.Completed);
        var envelope = Deliveries.Envelope(Deliveries.Message("m-broken", "broken text", sender: "900000042"));
        await IngestAsync(envelope);
        await FinishAllAsync(ProcessingStatus.Failed, "HttpRequestException: boom");
        var stored = await EventWithTextAsync("broken text");
        var cut = Render<Events>();
        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));
        Assert.Empty(cut.FindAll("[data-testid=event-detail]"));

        EventsPage.Row(cut, "broken text").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=detail-attempts]")));
        Assert.Contains("mud-drawer--open", cut.Find("[data-testid=event-drawer]").ClassName);
        var detail = cut.Find("[data-testid=event-detail]");
        Assert.Contains(stored.EventId, detail.TextContent);
        Assert.Contains("900000042", detail.TextContent);
        Assert.Contains("broken text", detail.TextContent);
        Assert.Equal("failed", detail.QuerySelector("[data-testid=status-chip]")!.TextContent.Trim());
        Assert.Contains("HttpRequestException: boom", cut.Find("[data-testid=detail-error]").TextContent);
        // The processor's attempt (completed), then the retry that failed.
        var attempts = cut.FindAll("[data-testid=detail-attempts] tbody tr:not([data-testid=manual-retry])");
        Assert.Equal(2, attempts.Count);
        Assert.Contains("completed", attempts[0].TextContent);
        Assert.Contains("failed", attempts[1].TextContent);
        Assert.Contains("boom", attempts[1].TextContent);
        var payload = cut.Find("[data-testid=detail-payload]").TextContent;
        Assert.Contains("\n  ", payload);
        Assert.Contains("\"mid\": \"m-broken\"", payload);
        // Folding JSON: every object starts open at the top levels, keys are marked for colour.
        Assert.NotEmpty(cut.FindAll("[data-testid=detail-payload] details[open] > summary"));
        Assert.Contains(cut.FindAll("[data-testid=detail-payload] .json-key"), k => k.TextContent == "\"mid\"");
        Assert.Empty(cut.FindAll("[data-testid=detail-raw]"));

        cut.Find("[data-testid=show-raw]").Click();

        cut.WaitForAssertion(() => Assert.Equal(Encoding.UTF8.GetString(envelope), cut.Find("[data-testid=detail-raw]").TextContent));
        Assert.Contains($"{envelope.Length:#,0} bytes, application/json, 1 event (0 duplicates)", cut.Find("[data-testid=event-detail]").TextContent);

        cut.Find("[data-testid=detail-raw]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });

        // Closed, and gone from the page: Tab cannot land inside a closed drawer.
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=event-detail]")));
        Assert.DoesNotContain("mud-drawer--open", cut.Find("[data-testid=event-drawer]").ClassName);
    }

    [Fact]
    public async Task OpenEvent_LongText_ShortUntilShowAll()
    {
        var text = string.Concat(Enumerable.Repeat("long message ", 400)); // 5,200 characters
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-long", text)));
        var cut = Render<Events>();
        cut.WaitForAssertion(() => Assert.Single(EventsPage.Rows(cut)));

        cut.Find("[data-testid=open-event]").Click();

        cut.WaitForAssertion(() => Assert.Equal(501, cut.Find("[data-testid=detail-text]").TextContent.Length));
        Assert.NotNull(cut.Find("[data-testid=copy-payload]"));
        Assert.Equal($"/conversations?id={Deliveries.Account}-900000001", cut.Find("[data-testid=detail-conversation]").GetAttribute("href"));
        cut.Find("[data-testid=show-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal(text, cut.Find("[data-testid=detail-text]").TextContent));
    }

    [Fact]
    public async Task EventIdInTheAddress_OpensItsDetail()
    {
        await SeedCompletedAndFailedAsync();
        var done = await EventWithTextAsync("done");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/events?eventId={done.EventId}");

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Contains(done.EventId, cut.Find("[data-testid=event-detail]").TextContent));
        Assert.Contains("mud-drawer--open", cut.Find("[data-testid=event-drawer]").ClassName);
        Assert.Empty(cut.FindAll("[data-testid=detail-error]"));
    }

    [Fact]
    public async Task RetryRow_FailedEvent_BecomesPending()
    {
        await SeedCompletedAndFailedAsync();
        var cut = RenderWithProviders<Events>();
        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));

        EventsPage.Row(cut, "broken").QuerySelector("[data-testid=retry-row]")!.Click();

        cut.WaitForAssertion(() => Assert.Equal("pending", EventsPage.Status(EventsPage.Row(cut, "broken"))));
        Assert.Null(EventsPage.Row(cut, "broken").QuerySelector("[data-testid=retry-row]"));
        Assert.Equal("completed", EventsPage.Status(EventsPage.Row(cut, "done")));
        Assert.Equal(ProcessingStatus.Pending, (await EventWithTextAsync("broken")).ProcessedStatus);
        cut.WaitForAssertion(() => Assert.Contains(Mud.Snackbars(cut), s => s.Contains("queued for retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RetrySelected_CheckedRow_OnlyThatOneBecomesPending()
    {
        await SeedCompletedAndFailedAsync();
        var cut = RenderWithProviders<Events>();
        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));
        Assert.True(cut.Find("[data-testid=retry-selected]").HasAttribute("disabled"));

        EventsPage.Row(cut, "done").QuerySelector("input[type=checkbox]")!.Change(true);
        cut.WaitForAssertion(() => Assert.Contains("Retry selected (1)", cut.Find("[data-testid=retry-selected]").TextContent));
        cut.Find("[data-testid=retry-selected]").Click();

        cut.WaitForAssertion(() => Assert.Equal("pending", EventsPage.Status(EventsPage.Row(cut, "done"))));
        Assert.Equal("failed", EventsPage.Status(EventsPage.Row(cut, "broken")));
        Assert.Equal(ProcessingStatus.Pending, (await EventWithTextAsync("done")).ProcessedStatus);
        Assert.Equal(ProcessingStatus.Failed, (await EventWithTextAsync("broken")).ProcessedStatus);
    }

    [Fact]
    public async Task RetryAllMatching_Confirmed_StatesTheCountAndRequeuesEveryFailedOne()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-done", "done")));
        await FinishAllAsync(ProcessingStatus.Completed);
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-b1", "broken one"), Deliveries.Message("m-b2", "broken two")));
        await FinishAllAsync(ProcessingStatus.Failed, "boom");
        var cut = RenderWithProviders<Events>();
        cut.WaitForAssertion(() => Assert.Equal(3, EventsPage.Rows(cut).Count));

        cut.Find("[data-testid=retry-matching]").Click();

        Assert.Equal("Put 2 failed events matching these filters back in the queue?", Mud.MessageBox(cut));
        Assert.Equal("Retry 2", cut.Find(".mud-message-box__yes-button").TextContent.Trim());
        Mud.Confirm(cut);

        cut.WaitForAssertion(() => Assert.Equal(["pending", "pending", "completed"], EventsPage.Rows(cut).Select(EventsPage.Status)));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-message-box")));
        var pending = await Store.ListAsync(new EventQuery(Status: ProcessingStatus.Pending), CancellationToken.None);
        Assert.Equal(2, pending.Items.Count);
        cut.WaitForAssertion(() => Assert.Contains("2 events queued for retry.", Mud.Snackbars(cut)));
    }

    [Fact]
    public async Task RetryAllMatching_Cancelled_NothingChanges()
    {
        await SeedCompletedAndFailedAsync();
        var cut = RenderWithProviders<Events>();
        cut.WaitForAssertion(() => Assert.Equal(2, EventsPage.Rows(cut).Count));

        cut.Find("[data-testid=retry-matching]").Click();
        Assert.Contains("Put 1 failed event matching", Mud.MessageBox(cut));
        Mud.Cancel(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-message-box")));
        Assert.Equal(ProcessingStatus.Failed, (await EventWithTextAsync("broken")).ProcessedStatus);
        Assert.Equal("failed", EventsPage.Status(EventsPage.Row(cut, "broken")));
    }

    [Fact]
    public async Task NewEventArrives_RowsStayStillAndAButtonCountsIt()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("still-1", "already here")));
        var cut = Render<Events>();
        cut.WaitForAssertion(() => Assert.Single(EventsPage.Rows(cut)));

        await IngestAsync(Deliveries.Envelope(Deliveries.Message("live-1", "arrived live")));

        cut.WaitForAssertion(() => Assert.Contains("1 new event", cut.Find("[data-testid=new-events]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("already here", Assert.Single(EventsPage.Rows(cut)).TextContent);

        cut.Find("[data-testid=new-events]").Click();

        cut.WaitForAssertion(() => Assert.Contains("arrived live", EventsPage.Rows(cut)[0].TextContent));
        Assert.Empty(cut.FindAll("[data-testid=new-events]"));
    }

    [Fact]
    public async Task NewEventArrives_LiveTailOn_FirstPageFollowsIt()
    {
        var cut = Render<Events>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=events-empty]")));
        cut.Find("[data-testid=live-tail] input").Change(true);

        await IngestAsync(Deliveries.Envelope(Deliveries.Message("live-2", "followed live")));

        cut.WaitForAssertion(() => Assert.Contains("followed live", Assert.Single(EventsPage.Rows(cut)).TextContent), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=new-events]"));
    }
}

public sealed class EventsViewerTests() : DashboardContext("viewer")
{
    [Fact]
    public async Task Render_Viewer_RowsButNoSelectionOrRetryControls()
    {
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m-broken", "broken")));
        await FinishAllAsync(ProcessingStatus.Failed, "HttpRequestException: boom");

        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Equal("failed", EventsPage.Status(Assert.Single(EventsPage.Rows(cut)))));
        Assert.Empty(cut.FindAll("[data-testid=events-table] input[type=checkbox]"));
        Assert.Empty(cut.FindAll("[data-testid=retry-row]"));
        Assert.Empty(cut.FindAll("[data-testid=retry-selected]"));
        Assert.Empty(cut.FindAll("[data-testid=retry-matching]"));

        cut.Find("[data-testid=open-event]").Click();

        cut.WaitForAssertion(() => Assert.Contains("HttpRequestException: boom", cut.Find("[data-testid=detail-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=detail-retry]"));
    }
}

public sealed class EventsStoreDownTests() : DashboardContext("admin", storeDown: true)
{
    [Fact]
    public void Render_StoreUnavailable_ShowsTheErrorWithATryAgain()
    {
        var cut = Render<Events>();

        cut.WaitForAssertion(() => Assert.Contains("store is unavailable, so events could not be loaded", cut.Find("[data-testid=load-error]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("Try again", cut.Find("[data-testid=load-error]").TextContent);
        Assert.Empty(EventsPage.Rows(cut));
        // Not "No events yet.": nothing is known about the events while the store is down.
        Assert.Empty(cut.FindAll("[data-testid=events-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=events-table] .mud-progress-linear"));
    }
}
