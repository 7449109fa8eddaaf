using AngleSharp.Dom;
using Bunit;
using InstantChat.Core.Security;
using InstantChat.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Components.Pages;

public sealed class UsersTests() : DashboardContext("admin")
{
    const string LastAdminMessage = "This is the only enabled admin: make another user admin first.";

    UserAdmin Admin => Services.GetRequiredService<UserAdmin>();

    /// <summary>The signed-in "admin" (the only admin) and a viewer "bob".</summary>
    async Task SeedAsync()
    {
        Assert.True((await Admin.CreateAsync(new CreateUserBody("admin", "admin-password-1", Roles.Admin), "seed", CancellationToken.None)).Succeeded);
        Assert.True((await Admin.CreateAsync(new CreateUserBody("bob", "bob-password-12", Roles.Viewer), "seed", CancellationToken.None)).Succeeded);
    }

    static IReadOnlyList<IElement> Rows<T>(IRenderedComponent<T> cut) where T : IComponent => cut.FindAll("[data-testid=users-table] tbody tr");

    static IElement Row<T>(IRenderedComponent<T> cut, string username) where T : IComponent =>
        Rows(cut).Single(r => r.QuerySelector("td")!.TextContent.Trim().Split(' ')[0] == username);

    async Task<User> StoredAsync(string username) => (await Admin.ListAsync(CancellationToken.None)).Single(u => u.Username == username);

    [Fact]
    public async Task Render_Users_OneRowEachWithRoleStateAndYou()
    {
        await SeedAsync();

        var cut = RenderWithProviders<Users>();

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Equal("admin (you)", Row(cut, "admin").QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("bob", Row(cut, "bob").QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("viewer", Row(cut, "bob").QuerySelector("input")!.GetAttribute("value"));
        Assert.Equal("admin", Row(cut, "admin").QuerySelector("input")!.GetAttribute("value"));
        Assert.Contains("active", Row(cut, "bob").TextContent);
        Assert.NotNull(cut.Find("[data-testid=add-user]"));
    }

    [Fact]
    public async Task AddUser_PasswordTooShort_FieldErrorThenAValidOneAddsTheUser()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        cut.Find("[data-testid=add-user]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=save-user]")));
        Mud.Input(cut, "Username").Change("carol");
        Mud.Input(cut, "Password").Change("short");
        cut.Find("[data-testid=save-user]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Password must be 12–256 characters, not only spaces.", Mud.FieldError(cut, "Password")));
        Assert.Null(Mud.FieldError(cut, "Username"));
        Assert.DoesNotContain(await Admin.ListAsync(CancellationToken.None), u => u.Username == "carol");

        Mud.Input(cut, "Password").Change("carol-password-1");
        cut.Find("[data-testid=save-user]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=save-user]")));
        Assert.Equal("viewer", Row(cut, "carol").QuerySelector("input")!.GetAttribute("value"));
        Assert.Equal(Roles.Viewer, (await StoredAsync("carol")).Role);
        cut.WaitForAssertion(() => Assert.Contains("User carol added.", Mud.Snackbars(cut)));
    }

    [Fact]
    public async Task AddUser_NameTaken_ConflictInTheDialog()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        cut.Find("[data-testid=add-user]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=save-user]")));
        Mud.Input(cut, "Username").Change("bob");
        Mud.Input(cut, "Password").Change("another-password");
        cut.Find("[data-testid=save-user]").Click();

        cut.WaitForAssertion(() => Assert.Contains("A user named bob exists.", cut.Find("[data-testid=user-dialog], .mud-dialog").TextContent));
        Assert.Equal(2, (await Admin.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task DeleteLastAdmin_Confirmed_SnackbarShowsTheConflictAndTheAdminStays()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Row(cut, "admin").QuerySelector("[aria-label=Delete]")!.Click();
        Assert.Contains("Delete admin?", Mud.MessageBox(cut));
        Mud.Confirm(cut);

        cut.WaitForAssertion(() => Assert.Contains(LastAdminMessage, Mud.Snackbars(cut)));
        Assert.Equal(Roles.Admin, (await StoredAsync("admin")).Role);
        Assert.Equal(2, Rows(cut).Count);
    }

    [Fact]
    public async Task DeleteViewer_Confirmed_RowGoes()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Row(cut, "bob").QuerySelector("[aria-label=Delete]")!.Click();
        Mud.MessageBox(cut);
        Mud.Confirm(cut);

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Contains("bob deleted.", Mud.Snackbars(cut));
        Assert.DoesNotContain(await Admin.ListAsync(CancellationToken.None), u => u.Username == "bob");
    }

    [Fact]
    public async Task DemoteLastAdmin_SnackbarShowsTheConflictAndTheRoleStaysAdmin()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Mud.Choose(cut, Row(cut, "admin").QuerySelector(".mud-input-control")!, "viewer");

        cut.WaitForAssertion(() => Assert.Contains(LastAdminMessage, Mud.Snackbars(cut)));
        Assert.Equal(Roles.Admin, (await StoredAsync("admin")).Role);
        // The select must not keep showing a role the user does not have.
        cut.WaitForAssertion(() => Assert.Equal("admin", Row(cut, "admin").QuerySelector("input")!.GetAttribute("value")));
    }

    [Fact]
    public async Task DisableLastAdmin_SnackbarShowsTheConflict()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Row(cut, "admin").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Disable").Click();

        cut.WaitForAssertion(() => Assert.Contains(LastAdminMessage, Mud.Snackbars(cut)));
        Assert.False((await StoredAsync("admin")).Disabled);
        Assert.Contains("active", Row(cut, "admin").TextContent);
    }

    [Fact]
    public async Task PromoteViewer_RoleChangesAndIsStored()
    {
        await SeedAsync();
        var cut = RenderWithProviders<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Mud.Choose(cut, Row(cut, "bob").QuerySelector(".mud-input-control")!, "admin");

        cut.WaitForAssertion(() => Assert.Contains("bob updated.", Mud.Snackbars(cut)));
        Assert.Equal(Roles.Admin, (await StoredAsync("bob")).Role);
        Assert.Equal("admin", Row(cut, "bob").QuerySelector("input")!.GetAttribute("value"));
    }
}

public sealed class UsersStoreDownTests() : DashboardContext("admin", storeDown: true)
{
    [Fact]
    public void Render_StoreUnavailable_ShowsTheError()
    {
        var cut = Render<Users>();

        cut.WaitForAssertion(() => Assert.Contains("store is unavailable, so users could not be loaded", cut.Find("[data-testid=load-error]").TextContent),
            TimeSpan.FromSeconds(10));
    }
}
