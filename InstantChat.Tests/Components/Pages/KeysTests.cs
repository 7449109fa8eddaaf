using AngleSharp.Dom;
using Bunit;
using InstantChat.Core.Security;
using KeysPage = InstantChat.Web.Components.Pages.Keys;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Components.Pages;

public sealed class KeysTests() : DashboardContext("admin")
{
    ApiKeyService Service => Services.GetRequiredService<ApiKeyService>();

    static IReadOnlyList<IElement> Rows<T>(IRenderedComponent<T> cut) where T : IComponent =>
        cut.FindAll("[data-testid=keys-table] tbody tr").Where(r => r.QuerySelector("[data-testid=revoke-key]") is not null).ToList();

    async Task<CreatedKey> SeedAsync(string name, string role = Roles.Viewer) =>
        (await Service.CreateAsync(new CreateKeyBody(name, role), "seed", CancellationToken.None)).Value!;

    [Fact]
    public void Render_NoKeys_ShowsTheEmptyHint()
    {
        var cut = Render<KeysPage>();

        cut.WaitForAssertion(() => Assert.Contains("No API keys.", cut.Find("[data-testid=keys-table]").TextContent));
        Assert.Empty(Rows(cut));
    }

    [Fact]
    public async Task Render_Keys_RowShowsNameRoleAndPrefixButNeverTheSecret()
    {
        var created = await SeedAsync("ci-script", Roles.Admin);

        var cut = Render<KeysPage>();

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        var row = Rows(cut)[0].TextContent;
        Assert.Contains("ci-script", row);
        Assert.Contains("admin", row);
        Assert.Contains(created.Key.Prefix + "…", row);
        Assert.DoesNotContain(created.Secret, cut.Markup);
    }

    [Fact]
    public async Task Create_ShowsTheSecretOnce_ASecondRenderNoLongerShowsIt()
    {
        var cut = RenderWithProviders<KeysPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=create-key]")));

        cut.Find("input[data-testid=key-name]").Change("grafana");
        cut.Find("[data-testid=create-key]").Click();

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        var shown = cut.Find("[data-testid=created-key] code").TextContent.Trim();
        Assert.Contains("Key grafana created.", cut.Find("[data-testid=created-key]").TextContent);
        var key = Assert.Single(await Service.ListAsync(CancellationToken.None));
        Assert.Equal(("grafana", Roles.Viewer), (key.Name, key.Role));
        Assert.StartsWith(key.Prefix, shown);
        Assert.True(shown.Length > key.Prefix.Length);
        Assert.Equal(ApiKeySecrets.Hash(shown), key.Hash);
        Assert.Equal("", cut.Find("input[data-testid=key-name]").GetAttribute("value") ?? "");

        var again = Render<KeysPage>();

        again.WaitForAssertion(() => Assert.Single(Rows(again)));
        Assert.Empty(again.FindAll("[data-testid=created-key]"));
        Assert.DoesNotContain(shown, again.Markup);
    }

    [Fact]
    public void Create_NoName_FieldError()
    {
        var cut = RenderWithProviders<KeysPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=create-key]")));

        cut.Find("[data-testid=create-key]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Name is required (at most 100 characters).", Mud.FieldError(cut, "Name")));
        Assert.Empty(cut.FindAll("[data-testid=created-key]"));
        Assert.Empty(Rows(cut));
    }

    [Fact]
    public async Task Revoke_Confirmed_RowGoesAndTheKeyIsDeleted()
    {
        await SeedAsync("old-key");
        await SeedAsync("kept-key");
        var cut = RenderWithProviders<KeysPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Rows(cut).Single(r => r.TextContent.Contains("old-key", StringComparison.Ordinal)).QuerySelector("[data-testid=revoke-key]")!.Click();
        Assert.Equal("Revoke old-key? Clients using it are refused at once.", Mud.MessageBox(cut));
        Mud.Confirm(cut);

        cut.WaitForAssertion(() => Assert.Contains("kept-key", Assert.Single(Rows(cut)).TextContent));
        Assert.Equal("kept-key", Assert.Single(await Service.ListAsync(CancellationToken.None)).Name);
        cut.WaitForAssertion(() => Assert.Contains("old-key revoked.", Mud.Snackbars(cut)));
    }

    [Fact]
    public async Task Revoke_Cancelled_KeyStays()
    {
        await SeedAsync("old-key");
        var cut = RenderWithProviders<KeysPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));

        cut.Find("[data-testid=revoke-key]").Click();
        Mud.MessageBox(cut);
        Mud.Cancel(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-message-box")));
        Assert.Single(Rows(cut));
        Assert.Single(await Service.ListAsync(CancellationToken.None));
    }
}

public sealed class KeysStoreDownTests() : DashboardContext("admin", storeDown: true)
{
    [Fact]
    public void Render_StoreUnavailable_ShowsTheError()
    {
        var cut = Render<KeysPage>();

        cut.WaitForAssertion(() => Assert.Contains("store is unavailable, so keys could not be loaded", cut.Find("[data-testid=load-error]").TextContent),
            TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("No API keys.", cut.Markup);
    }
}
