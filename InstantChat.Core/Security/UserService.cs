using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Security;

public sealed class UserOptions
{
    /// <summary>Password of the built-in admin, set on first start. Unset: a random one is printed once.</summary>
    [ConfigurationKeyName("ADMIN_PASSWORD")]
    [StrongSecret(SecretStrength.MinPasswordLength, ErrorMessage = "ADMIN_PASSWORD must be at least 12 characters and not only spaces (leave it unset for a random one).")]
    public string? AdminPassword { get; init; }
}

public enum UserChange { Done, NotFound, LastAdmin, NameTaken }

/// <summary>
/// Sign-in, and the user changes that must keep at least one enabled admin. Every change that must
/// end the user's sessions gives the user a new security stamp and drops this host's cached copy.
/// Throttling of failed sign-ins is the caller's (<see cref="SignInThrottle"/>): an account is never locked.
/// </summary>
public sealed class UserService(IUserStore store, IPasswordHasher hasher, UserCache cache, TimeProvider clock)
{
    // Unknown users are checked against this, so every sign-in costs exactly one hash; made once, not per request.
    readonly Lazy<string> _dummyHash = new(() => hasher.Hash(User.NewSecurityStamp()));

    /// <summary>The user, when the name exists, is enabled and the password matches; null otherwise (the same null for each reason).</summary>
    public async Task<User?> SignInAsync(string username, string password, CancellationToken ct)
    {
        var user = await store.FindByNameAsync(User.NormalizeName(username), ct);
        var matches = hasher.Verify(password, user?.PasswordHash ?? _dummyHash.Value);
        return matches && user is { Disabled: false } ? user : null;
    }

    /// <summary>Ends every session of the user, on every host (within the session check's cache window on the others).</summary>
    public async Task SignOutEverywhereAsync(string userId, CancellationToken ct)
    {
        await store.UpdateStampAsync(userId, User.NewSecurityStamp(), ct);
        cache.Forget(userId);
    }

    /// <summary>Creates the built-in admin when there is no user at all; returns the generated password, if one was.</summary>
    public async Task<string?> EnsureAdminAsync(string? configuredPassword, CancellationToken ct)
    {
        if ((await store.ListAsync(ct)).Count > 0) return null;
        var password = string.IsNullOrEmpty(configuredPassword) ? Passwords.Generate() : configuredPassword;
        await store.CreateAsync(New("admin", password, Roles.Admin), ct);
        return string.IsNullOrEmpty(configuredPassword) ? password : null;
    }

    public User New(string username, string password, string role) =>
        new(EventModel.EventIds.New(clock.GetUtcNow()), User.NormalizeName(username), role, hasher.Hash(password), false, User.NewSecurityStamp(), clock.GetUtcNow());

    public async Task<UserChange> UpdateAsync(string userId, string? role, bool? disabled, string? password, CancellationToken ct)
    {
        if (await store.FindAsync(userId, ct) is not { } user) return UserChange.NotFound;
        var updated = user with
        {
            Role = role ?? user.Role,
            Disabled = disabled ?? user.Disabled,
            PasswordHash = password is null ? user.PasswordHash : hasher.Hash(password),
        };
        if (IsActiveAdmin(user) && !IsActiveAdmin(updated) && await ActiveAdminsAsync(ct) <= 1) return UserChange.LastAdmin;
        if (updated != user) updated = updated with { SecurityStamp = User.NewSecurityStamp() };
        var done = await store.UpdateAsync(updated, ct);
        cache.Forget(userId);
        return done ? UserChange.Done : UserChange.NotFound;
    }

    public async Task<UserChange> DeleteAsync(string userId, CancellationToken ct)
    {
        if (await store.FindAsync(userId, ct) is not { } user) return UserChange.NotFound;
        if (IsActiveAdmin(user) && await ActiveAdminsAsync(ct) <= 1) return UserChange.LastAdmin;
        var done = await store.DeleteAsync(userId, ct);
        cache.Forget(userId);
        return done ? UserChange.Done : UserChange.NotFound;
    }

    async Task<int> ActiveAdminsAsync(CancellationToken ct) => (await store.ListAsync(ct)).Count(IsActiveAdmin);

    static bool IsActiveAdmin(User u) => u.Role == Roles.Admin && !u.Disabled;
}
