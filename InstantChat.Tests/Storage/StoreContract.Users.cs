using InstantChat.Core.Security;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    static string Stamp() => InstantChat.Core.Security.User.NewSecurityStamp();

    static User NewUser(string id, string name, string role = Roles.Admin) =>
        new(id, name, role, "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", false, Stamp(), T0);

    [Fact]
    public async Task Users_CreateFindUpdateDelete_RoundTripWithTheSecurityStamp()
    {
        var user = NewUser("u1", "erin");
        Assert.True(await Stores.Users.CreateAsync(user, default));
        Assert.False(await Stores.Users.CreateAsync(NewUser("u2", "erin"), default));
        Assert.Equal(user, await Stores.Users.FindAsync("u1", default));
        Assert.Equal(user, await Stores.Users.FindByNameAsync("erin", default));

        var changed = user with { Role = Roles.Viewer, Disabled = true, SecurityStamp = Stamp() };
        Assert.True(await Stores.Users.UpdateAsync(changed, default));

        Assert.Equal(changed, Assert.Single(await Stores.Users.ListAsync(default)));
        Assert.True(await Stores.Users.DeleteAsync("u1", default));
        Assert.Null(await Stores.Users.FindAsync("u1", default));
        Assert.False(await Stores.Users.UpdateAsync(changed, default));
    }

    [Fact]
    public async Task Users_UpdateStamp_ChangesOnlyTheStamp()
    {
        var user = NewUser("u1", "erin");
        await Stores.Users.CreateAsync(user, default);
        // A role change another caller made in between must survive a sign-out's stamp change.
        await Stores.Users.UpdateAsync(user with { Role = Roles.Viewer }, default);

        Assert.True(await Stores.Users.UpdateStampAsync("u1", "new-stamp", default));

        Assert.Equal(user with { Role = Roles.Viewer, SecurityStamp = "new-stamp" }, await Stores.Users.FindAsync("u1", default));
        Assert.False(await Stores.Users.UpdateStampAsync("nobody", "x", default));
    }
}
