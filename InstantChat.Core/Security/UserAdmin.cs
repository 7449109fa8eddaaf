using InstantChat.Core.Common;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Security;

public sealed record CreateUserBody(string? Username, string? Password, string? Role);
public sealed record UpdateUserBody(string? Role, bool? Disabled, string? Password);

/// <summary>User management for the API and the dashboard: validated, audited, never the last admin.</summary>
public sealed partial class UserAdmin(IUserStore store, UserService users, ILogger<UserAdmin> audit)
{
    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public async Task<ChangeResult<User>> CreateAsync(CreateUserBody? body, string? by, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Username is not { Length: >= 2 and <= 64 } name || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            errors["username"] = ["Username is required: 2–64 letters, digits, '.', '_', '-' or '@'."];
        ValidatePassword(body?.Password, required: true, errors);
        if (body?.Role is not { } role || !Roles.All.Contains(role)) errors["role"] = ["Role must be admin or viewer."];
        if (errors.Count > 0) return Change.Invalid(errors);

        var user = users.New(body!.Username!, body.Password!, body.Role!);
        if (!await store.CreateAsync(user, ct)) return Change.Conflict("Username taken", $"A user named {user.Username} exists.");
        LogChanged(audit, by, "created", user.Username, user.Role);
        return Change.Done(user);
    }

    public async Task<ChangeResult<User>> UpdateAsync(string userId, UpdateUserBody? body, string? by, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Role is { } role && !Roles.All.Contains(role)) errors["role"] = ["Role must be admin or viewer."];
        ValidatePassword(body?.Password, required: false, errors);
        if (errors.Count > 0) return Change.Invalid(errors);
        switch (await users.UpdateAsync(userId, body?.Role, body?.Disabled, body?.Password, ct))
        {
            case UserChange.NotFound: return Change.NotFound;
            case UserChange.LastAdmin: return LastAdmin;
        }
        if (await store.FindAsync(userId, ct) is not { } user) return Change.NotFound;
        LogChanged(audit, by, body?.Password is null ? "updated" : "updated (password reset)", user.Username, user.Role);
        return Change.Done(user);
    }

    public async Task<ChangeResult<bool>> DeleteAsync(string userId, string? by, CancellationToken ct)
    {
        switch (await users.DeleteAsync(userId, ct))
        {
            case UserChange.NotFound: return Change.NotFound;
            case UserChange.LastAdmin: return LastAdmin;
        }
        LogChanged(audit, by, "deleted", userId, "-");
        return Change.Done(true);
    }

    static readonly ChangeFailure LastAdmin = Change.Conflict("Last admin", "This is the only enabled admin: make another user admin first.");

    static void ValidatePassword(string? password, bool required, Dictionary<string, string[]> errors)
    {
        if (password is null ? required : password.Length > 256 || !SecretStrength.IsStrong(password, SecretStrength.MinPasswordLength))
            errors["password"] = [$"Password must be {SecretStrength.MinPasswordLength}–256 characters, not only spaces."];
    }

    [LoggerMessage(LogLevel.Information, "Audit: {By} {Action} user {User} (role {Role})")]
    static partial void LogChanged(ILogger logger, string? by, string action, string user, string role);
}
