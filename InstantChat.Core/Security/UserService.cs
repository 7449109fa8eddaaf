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

public enum SignInResult { Success, Invalid, LockedOut }

public enum UserChange { Done, NotFound, LastAdmin, NameTaken }

/// <summary>Sign-in with lockout, and the user changes that must keep at least one enabled admin.</summary>
public sealed class UserService(IUserStore store, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(5);

    public async Task<(SignInResult Result, User? User)> SignInAsync(string username, string password, CancellationToken ct)
    {
        var user = await store.FindByNameAsync(username.Trim().ToLowerInvariant(), ct);
        // Unknown users cost the same hash as known ones, so timing does not tell which names exist.
        if (user is null) { Passwords.Verify(password, Passwords.Hash("timing")); return (SignInResult.Invalid, null); }
        var now = clock.GetUtcNow();
        if (user.LockedUntil > now) return (SignInResult.LockedOut, user);
        if (user.Disabled || !Passwords.Verify(password, user.PasswordHash))
        {
            var failures = user.FailedLogins + 1;
            var locked = failures >= MaxFailures ? now + Lockout : (DateTimeOffset?)null;
            await store.UpdateAsync(user with { FailedLogins = locked is null ? failures : 0, LockedUntil = locked }, ct);
            return (locked is null ? SignInResult.Invalid : SignInResult.LockedOut, user);
        }
        if (user.FailedLogins > 0 || user.LockedUntil is not null) await store.UpdateAsync(user with { FailedLogins = 0, LockedUntil = null }, ct);
        return (SignInResult.Success, user);
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
        new(Webhooks.EventIds.New(clock.GetUtcNow()), username.Trim().ToLowerInvariant(), role, Passwords.Hash(password), false, 0, null, clock.GetUtcNow());

    public async Task<UserChange> UpdateAsync(string userId, string? role, bool? disabled, string? password, CancellationToken ct)
    {
        if (await store.FindAsync(userId, ct) is not { } user) return UserChange.NotFound;
        var updated = user with
        {
            Role = role ?? user.Role,
            Disabled = disabled ?? user.Disabled,
            PasswordHash = password is null ? user.PasswordHash : Passwords.Hash(password),
            FailedLogins = password is null ? user.FailedLogins : 0,
            LockedUntil = password is null ? user.LockedUntil : null,
        };
        if (IsActiveAdmin(user) && !IsActiveAdmin(updated) && await ActiveAdminsAsync(ct) <= 1) return UserChange.LastAdmin;
        return await store.UpdateAsync(updated, ct) ? UserChange.Done : UserChange.NotFound;
    }

    public async Task<UserChange> DeleteAsync(string userId, CancellationToken ct)
    {
        if (await store.FindAsync(userId, ct) is not { } user) return UserChange.NotFound;
        if (IsActiveAdmin(user) && await ActiveAdminsAsync(ct) <= 1) return UserChange.LastAdmin;
        return await store.DeleteAsync(userId, ct) ? UserChange.Done : UserChange.NotFound;
    }

    async Task<int> ActiveAdminsAsync(CancellationToken ct) => (await store.ListAsync(ct)).Count(IsActiveAdmin);

    static bool IsActiveAdmin(User u) => u.Role == Roles.Admin && !u.Disabled;
}
