using InstantChat.Core.Security;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>Users (admin only): add, change role, disable, reset password, remove; never the last admin.</summary>
public static partial class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").RequireAuthorization(Policies.Admin).WithTags("Users");
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync);
        group.MapPut("/{userId}", UpdateAsync);
        group.MapDelete("/{userId}", DeleteAsync);
        return app;
    }

    static async Task<Ok<UserListDto>> ListAsync(IUserStore store, CancellationToken ct) =>
        TypedResults.Ok(new UserListDto((await store.ListAsync(ct)).Select(UserDto.From).ToList()));

    static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserBody? body, IUserStore store, UserService users, HttpContext http, ILogger<KeyAudit> audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Username is not { Length: >= 2 and <= 64 } name || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            errors["username"] = ["username is required: 2–64 letters, digits, '.', '_', '-' or '@'."];
        ValidatePassword(body?.Password, required: true, errors);
        if (body?.Role is not { } role || !Roles.All.Contains(role)) errors["role"] = ["role must be admin or viewer."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var user = users.New(body!.Username!, body.Password!, body.Role!);
        if (!await store.CreateAsync(user, ct))
            return TypedResults.Problem(statusCode: 409, title: "Username taken", detail: $"A user named {user.Username} exists.");
        LogChanged(audit, http.User.Identity?.Name, "created", user.Username, user.Role);
        return TypedResults.Created($"/api/users/{user.UserId}", UserDto.From(user));
    }

    static async Task<Results<Ok<UserDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string userId, UpdateUserBody? body, IUserStore store, UserService users, HttpContext http, ILogger<KeyAudit> audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Role is { } role && !Roles.All.Contains(role)) errors["role"] = ["role must be admin or viewer."];
        ValidatePassword(body?.Password, required: false, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        switch (await users.UpdateAsync(userId, body?.Role, body?.Disabled, body?.Password, ct))
        {
            case UserChange.NotFound: return TypedResults.NotFound();
            case UserChange.LastAdmin: return LastAdmin();
        }
        var user = (await store.FindAsync(userId, ct))!;
        LogChanged(audit, http.User.Identity?.Name, body?.Password is null ? "updated" : "updated (password reset)", user.Username, user.Role);
        return TypedResults.Ok(UserDto.From(user));
    }

    static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(string userId, UserService users, HttpContext http, ILogger<KeyAudit> audit, CancellationToken ct) =>
        await users.DeleteAsync(userId, ct) switch
        {
            UserChange.NotFound => TypedResults.NotFound(),
            UserChange.LastAdmin => LastAdmin(),
            _ => Deleted(audit, http.User.Identity?.Name, userId),
        };

    static NoContent Deleted(ILogger audit, string? by, string userId)
    {
        LogChanged(audit, by, "deleted", userId, "-");
        return TypedResults.NoContent();
    }

    static ProblemHttpResult LastAdmin() => TypedResults.Problem(statusCode: 409, title: "Last admin",
        detail: "This is the only enabled admin: make another user admin first.");

    static void ValidatePassword(string? password, bool required, Dictionary<string, string[]> errors)
    {
        if (password is null ? required : password.Length is < 10 or > 256)
            errors["password"] = ["password must be 10–256 characters."];
    }

    [LoggerMessage(LogLevel.Information, "Audit: {By} {Action} user {User} (role {Role})")]
    static partial void LogChanged(ILogger logger, string? by, string action, string user, string role);
}

public sealed record CreateUserBody(string? Username, string? Password, string? Role);
public sealed record UpdateUserBody(string? Role, bool? Disabled, string? Password);

/// <summary>A user as the API shows it: never the password hash.</summary>
public sealed record UserDto(string UserId, string Username, string Role, bool Disabled, bool LockedOut, DateTimeOffset CreatedAt)
{
    public static UserDto From(User u) => new(u.UserId, u.Username, u.Role, u.Disabled, u.LockedUntil > DateTimeOffset.UtcNow, u.CreatedAt);
}

public sealed record UserListDto(IReadOnlyList<UserDto> Items);
