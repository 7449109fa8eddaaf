using AngleSharp.Dom;
using Bunit;
using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using DestinationsPage = InstantChat.Web.Components.Pages.Destinations;

namespace InstantChat.Tests.Components.Pages;

public sealed class DestinationsTests() : DashboardContext("admin")
{
    DestinationService Service => Services.GetRequiredService<DestinationService>();

    static IReadOnlyList<IElement> Rows<T>(IRenderedComponent<T> cut) where T : IComponent =>
        cut.FindAll("[data-testid=destinations-table] tbody tr").Where(r => r.QuerySelector("[data-testid=edit-destination]") is not null).ToList();

    async Task<Destination> SeedAsync(string url = "https://crm.example.com/hooks", string name = "crm") =>
        (await Service.CreateAsync(new DestinationBody(name, url, true, null, null, null, null, null, null, null), "seed", CancellationToken.None)).Value!.Destination;

    [Fact]
    public void Render_NoDestinations_ShowsTheEmptyHint()
    {
        var cut = Render<DestinationsPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=destinations-empty]")));
    }

    [Fact]
    public async Task Create_Valid_SecretShownOnceAndTheRowAppears()
    {
        var cut = RenderWithProviders<DestinationsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=destinations-empty]")));
        cut.Find("[data-testid=new-destination]").Click();

        cut.WaitForAssertion(() => cut.Find("input[data-testid=field-name]").Change("support bot"));
        cut.Find("input[data-testid=field-url]").Change("https://bot.example.com/in");
        cut.Find("[data-testid=save-destination]").Click();

        cut.WaitForAssertion(() => Assert.Contains("support bot", Assert.Single(Rows(cut)).TextContent));
        var stored = Assert.Single(await Service.ListAsync(CancellationToken.None));
        Assert.Contains(stored.Secrets.Current, cut.Find("[data-testid=destination-secret]").TextContent);
        Assert.Contains("bot.example.com/in", Rows(cut)[0].TextContent);
        Assert.Contains("no attempts", Rows(cut)[0].TextContent);
    }

    [Fact]
    public void Create_InvalidUrl_TheApisMessageBesideTheField()
    {
        var cut = RenderWithProviders<DestinationsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=destinations-empty]")));
        cut.Find("[data-testid=new-destination]").Click();

        cut.WaitForAssertion(() => cut.Find("input[data-testid=field-name]").Change("bot"));
        cut.Find("input[data-testid=field-url]").Change("ftp://bot.example.com/in");
        cut.Find("[data-testid=save-destination]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("URL is required: an absolute http or https URL", Mud.FieldError(cut, "URL")));
        Assert.NotNull(cut.Find("[data-testid=save-destination]"));
    }

    [Fact]
    public async Task Render_AfterAttempts_ShowsTheDeliveredShareAndTheBacklog()
    {
        var d = await SeedAsync();
        var store = Services.GetRequiredService<IOutboundStore>();
        await IngestAsync(Deliveries.Envelope(Deliveries.Message("m1", "one"), Deliveries.Message("m2", "two")));
        var taken = await Eventually.WaitAsync(() => store.TakeDueAsync(d.DestinationId, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(2), "test", default), t => t.Count == 1);
        var m = taken[0];
        await store.RecordAsync(m with { Status = OutboundStatus.Failed, Attempts = 1, TotalAttempts = 1, NextAttemptAt = null },
            new OutboundAttempt(m.MessageId, 1, DateTimeOffset.UtcNow, 500, 40, new Dictionary<string, string>(), "down", "HTTP 500"), default);

        var cut = Render<DestinationsPage>();

        cut.WaitForAssertion(() => Assert.Contains("0% of 1 attempt", cut.Find("[data-testid=destination-rate]").TextContent));
        Assert.Contains("HTTP 500", Rows(cut)[0].TextContent);
        Assert.Equal("1 message", cut.Find("[data-testid=destination-backlog]").TextContent.Trim());
    }

    [Fact]
    public async Task SendTest_ShowsTheReceiversAnswer()
    {
        await using var receiver = await Receiver.StartAsync();
        await SeedAsync(url: receiver.Url, name: "local bot");
        var cut = RenderWithProviders<DestinationsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));

        cut.Find("[data-testid=test-destination]").Click();

        cut.WaitForAssertion(() => Assert.Contains("HTTP 200", cut.Find("[data-testid=test-result]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("answer 0", cut.Find("[data-testid=test-result]").TextContent);
        Assert.Contains("\"eventType\":\"test\"", Assert.Single(receiver.Requests).Body);
    }

    [Fact]
    public async Task EventDeliveries_AttemptsOfAMessage_ShownWithTheirAnswers()
    {
        var d = await SeedAsync();
        var store = Services.GetRequiredService<IOutboundStore>();
        var e = (await IngestAsync(Deliveries.Envelope(Deliveries.Message("m1", "one"))))[0];
        var m = (await Eventually.WaitAsync(() => store.TakeDueAsync(d.DestinationId, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(2), "test", default), t => t.Count == 1))[0];
        await store.RecordAsync(m with { Attempts = 1, TotalAttempts = 1, NextAttemptAt = DateTimeOffset.UtcNow.AddSeconds(5) },
            new OutboundAttempt(m.MessageId, 1, DateTimeOffset.UtcNow, 503, 1_500, new Dictionary<string, string>(), "maintenance until noon", "HTTP 503"), default);

        var cut = Render<EventDeliveries>(p => p.Add(x => x.EventId, e.EventId));

        cut.WaitForAssertion(() => Assert.Contains("crm", cut.Find("[data-testid=detail-deliveries]").TextContent));
        var text = cut.Find("[data-testid=detail-deliveries]").TextContent;
        Assert.Contains(m.MessageId, text);
        Assert.Contains("HTTP 503", text);
        Assert.Contains("maintenance until noon", text);
        Assert.Contains("1.5 s", text);
        Assert.Equal("pending", cut.Find("[data-testid=delivery-status]").TextContent.Trim());
    }
}
