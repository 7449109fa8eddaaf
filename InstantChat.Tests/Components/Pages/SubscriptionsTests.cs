using InstantChat.Tests.TestSupport;
using AngleSharp.Dom;
using Bunit;
using InstantChat.Core.Subscriptions;
using SubscriptionsPage = InstantChat.Web.Components.Pages.Subscriptions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Components.Pages;

static class SubscriptionRows
{
    public static IReadOnlyList<IElement> Rows<T>(IRenderedComponent<T> cut) where T : IComponent =>
        cut.FindAll("[data-testid=subscriptions-table] tbody tr").Where(r => r.QuerySelector("[data-testid=subscriptions-empty]") is null).ToList();
}

public sealed class SubscriptionsTests() : DashboardContext("admin")
{
    const string Account = "17841400000000077";

    SubscriptionService Service => Services.GetRequiredService<SubscriptionService>();

    async Task<WebhookSubscription> SeedAsync(string account = Account, string? verifyToken = "verify-me", string? secret = "app-secret")
    {
        var r = await Service.CreateAsync(new SubscriptionBody(account, null, null, new WebhookConfigBody(null, verifyToken, secret), new ProcessingConfigBody(true, 25, 3)),
            "seed", CancellationToken.None);
        return Assert.IsType<WebhookSubscription>(r.Value);
    }

    static void OpenNew<T>(IRenderedComponent<T> cut) where T : IComponent
    {
        cut.Find("[data-testid=new-subscription]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=save-subscription]")));
    }

    static void Save<T>(IRenderedComponent<T> cut) where T : IComponent => cut.Find("[data-testid=save-subscription]").Click();

    [Fact]
    public void Render_NoSubscriptions_ShowsTheEmptyHint()
    {
        var cut = Render<SubscriptionsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No subscriptions.", cut.Find("[data-testid=subscriptions-empty]").TextContent));
        Assert.Empty(SubscriptionRows.Rows(cut));
        Assert.NotNull(cut.Find("[data-testid=new-subscription]"));
    }

    [Fact]
    public async Task Render_WithSubscription_RowShowsAccountProcessingAndSecretState()
    {
        await SeedAsync(secret: null);

        var cut = Render<SubscriptionsPage>();

        cut.WaitForAssertion(() => Assert.Contains(Account, Assert.Single(SubscriptionRows.Rows(cut)).TextContent));
        var row = SubscriptionRows.Rows(cut)[0].TextContent;
        Assert.Contains("queue · batch 25 · 3 attempts", row);
        Assert.Contains("secret not set", row);
        Assert.Contains("token set", row);
        Assert.Contains("all ", row);
    }

    [Fact]
    public async Task Render_AccountWithTraffic_RowSaysLastEventVolumeAndFailures()
    {
        await SeedAsync();
        await IngestAsync(Deliveries.Envelope(Account, Deliveries.Message("h-1", "fine")));
        await IngestAsync(Deliveries.Envelope(Account, Deliveries.Message("h-2", "broken")));
        await FinishAllAsync(Core.EventModel.ProcessingStatus.Failed, "boom");

        var cut = Render<SubscriptionsPage>();

        cut.WaitForAssertion(() => Assert.Matches("^last .+ · 2 events in 24 h · 1 failed \\(50%\\)$", cut.Find("[data-testid=account-health]").TextContent.Trim()));
    }

    [Fact]
    public async Task Render_AccountWithoutTraffic_RowSaysSo()
    {
        await SeedAsync();

        var cut = Render<SubscriptionsPage>();

        cut.WaitForAssertion(() => Assert.Equal("no events yet", cut.Find("[data-testid=account-health]").TextContent.Trim()));
    }

    [Fact]
    public void Create_BadAccountId_TheApisMessageUnderTheField()
    {
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=subscriptions-empty]")));
        OpenNew(cut);

        cut.Find("input[data-testid=field-account]").Change("abc");
        Save(cut);

        cut.WaitForAssertion(() => Assert.StartsWith("The account id is required", Mud.FieldError(cut, "Instagram account id")));
        Assert.NotNull(cut.Find("[data-testid=save-subscription]"));
        Assert.Null(Mud.FieldError(cut, "Batch size"));
    }

    [Fact]
    public void Create_BatchSizeZero_TheApisMessageUnderTheField()
    {
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=subscriptions-empty]")));
        OpenNew(cut);

        // What an empty field means is said beside it: the host's defaults.
        Assert.Contains("empty: 100 (WEBHOOK_BATCH_SIZE)", Mud.Control(cut, "Batch size").TextContent);
        Assert.Contains("Empty: 3 (WEBHOOK_RETRY_ATTEMPTS)", Mud.Control(cut, "Retry attempts").TextContent);
        cut.Find("input[data-testid=field-account]").Change(Account);
        cut.Find("input[data-testid=field-batch]").Change("0");
        Save(cut);

        cut.WaitForAssertion(() => Assert.Equal("Batch size must be between 1 and 10000.", Mud.FieldError(cut, "Batch size")));
        Assert.Null(Mud.FieldError(cut, "Instagram account id"));
    }

    [Fact]
    public async Task Create_Valid_DialogClosesAndTheRowAppears()
    {
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=subscriptions-empty]")));
        OpenNew(cut);

        cut.Find("input[data-testid=field-account]").Change(Account);
        cut.Find("input[data-testid=field-batch]").Change("40");
        Mud.Input(cut, "App secret").Change("brand-new-secret");
        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains(Account, Assert.Single(SubscriptionRows.Rows(cut)).TextContent));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=save-subscription]")));
        Assert.Contains("batch 40", SubscriptionRows.Rows(cut)[0].TextContent);
        Assert.Contains("secret set", SubscriptionRows.Rows(cut)[0].TextContent);
        var stored = Assert.Single(await Service.ListAsync(CancellationToken.None));
        Assert.Equal((Account, 40, "brand-new-secret"), (stored.InstagramAccountId, stored.ProcessingConfig.BatchSize, stored.WebhookConfig.Secret));
        cut.WaitForAssertion(() => Assert.Contains($"Subscription for {Account} saved.", Mud.Snackbars(cut)));
    }

    [Fact]
    public async Task Create_AccountAlreadySubscribed_ConflictInTheDialog()
    {
        await SeedAsync();
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.Single(SubscriptionRows.Rows(cut)));
        OpenNew(cut);

        cut.Find("input[data-testid=field-account]").Change(Account);
        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains($"Instagram account {Account} already has a subscription", cut.Find("[data-testid=dialog-conflict]").TextContent));
        Assert.NotNull(cut.Find("[data-testid=save-subscription]"));
        Assert.Single(await Service.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Edit_SecretsLeftEmpty_KeepsThem()
    {
        var seeded = await SeedAsync();
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.Contains("secret set", Assert.Single(SubscriptionRows.Rows(cut)).TextContent));

        cut.Find("[data-testid=edit-subscription]").Click();
        cut.WaitForAssertion(() => Assert.Equal(Account, cut.Find("input[data-testid=field-account]").GetAttribute("value")));
        Assert.Equal("", Mud.Input(cut, "App secret").GetAttribute("value") ?? "");
        Assert.Contains("Set. Leave empty to keep it.", Mud.Control(cut, "App secret").TextContent);
        cut.Find("input[data-testid=field-batch]").Change("7");
        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains("batch 7", Assert.Single(SubscriptionRows.Rows(cut)).TextContent));
        Assert.Contains("secret set", SubscriptionRows.Rows(cut)[0].TextContent);
        Assert.Contains("token set", SubscriptionRows.Rows(cut)[0].TextContent);
        var stored = await Service.FindAsync(seeded.SubscriptionId, CancellationToken.None);
        Assert.Equal(("app-secret", "verify-me", 7), (stored!.WebhookConfig.Secret, stored.WebhookConfig.VerifyToken, stored.ProcessingConfig.BatchSize));
    }

    [Fact]
    public async Task Edit_ClearSecret_RemovesIt()
    {
        var seeded = await SeedAsync();
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.Single(SubscriptionRows.Rows(cut)));

        cut.Find("[data-testid=edit-subscription]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=save-subscription]")));
        Mud.CheckBoxBeside(cut, "App secret").Change(true);
        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains("secret not set", Assert.Single(SubscriptionRows.Rows(cut)).TextContent));
        Assert.Contains("token set", SubscriptionRows.Rows(cut)[0].TextContent);
        var stored = await Service.FindAsync(seeded.SubscriptionId, CancellationToken.None);
        Assert.Equal((null, "verify-me"), (stored!.WebhookConfig.Secret, stored.WebhookConfig.VerifyToken));
    }

    [Fact]
    public async Task Delete_Confirmed_RowGoes()
    {
        await SeedAsync();
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.Single(SubscriptionRows.Rows(cut)));

        cut.Find("[data-testid=delete-subscription]").Click();
        Assert.Contains($"Delete the subscription of account {Account}?", Mud.MessageBox(cut));
        Mud.Confirm(cut);

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=subscriptions-empty]")));
        Assert.Empty(await Service.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Delete_Cancelled_RowStays()
    {
        await SeedAsync();
        var cut = RenderWithProviders<SubscriptionsPage>();
        cut.WaitForAssertion(() => Assert.Single(SubscriptionRows.Rows(cut)));

        cut.Find("[data-testid=delete-subscription]").Click();
        Mud.MessageBox(cut);
        Mud.Cancel(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-message-box")));
        Assert.Single(SubscriptionRows.Rows(cut));
        Assert.Single(await Service.ListAsync(CancellationToken.None));
    }
}

public sealed class SubscriptionsViewerTests() : DashboardContext("viewer")
{
    [Fact]
    public async Task Render_Viewer_SeesRowsButNoNewEditOrDelete()
    {
        await Services.GetRequiredService<SubscriptionService>().CreateAsync(
            new SubscriptionBody("17841400000000077", null, null, null, null), "seed", CancellationToken.None);

        var cut = Render<SubscriptionsPage>();

        cut.WaitForAssertion(() => Assert.Contains("17841400000000077", Assert.Single(SubscriptionRows.Rows(cut)).TextContent));
        Assert.Empty(cut.FindAll("[data-testid=new-subscription]"));
        Assert.Empty(cut.FindAll("[data-testid=edit-subscription]"));
        Assert.Empty(cut.FindAll("[data-testid=delete-subscription]"));
    }
}

public sealed class SubscriptionsStoreDownTests() : DashboardContext("admin", storeDown: true)
{
    [Fact]
    public void Render_StoreUnavailable_ShowsTheError()
    {
        var cut = Render<SubscriptionsPage>();

        cut.WaitForAssertion(() => Assert.Contains("store is unavailable, so subscriptions could not be loaded", cut.Find("[data-testid=load-error]").TextContent),
            TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=subscriptions-empty]"));
        Assert.NotNull(cut.Find("[data-testid=new-subscription]"));
        Assert.Empty(cut.FindAll("[data-testid=subscriptions-table] .mud-progress-linear"));
    }
}
