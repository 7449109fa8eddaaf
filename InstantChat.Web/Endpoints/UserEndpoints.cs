using InstantChat.Core.Common;
using InstantChat.Core.Security;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>Users (admin only): add, change role, disable, reset password, remove; never the last admin.</summary>
public static class UserEndpoints
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

    static async Task<Ok<UserListDto>> ListAsync(UserAdmin users, CancellationToken ct) =>
        TypedResults.Ok(new UserListDto((await users.ListAsync(ct)).Select(UserDto.From).ToList()));

    static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserBody? body, UserAdmin users, HttpContext http, CancellationToken ct)
    {
        var r = await users.CreateAsync(body, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Created($"/api/users/{r.Value!.UserId}", UserDto.From(r.Value)),
            ChangeStatus.Invalid => ChangeResults.Invalid(r),
            _ => ChangeResults.Conflict(r),
        };
    }

    static async Task<Results<Ok<UserDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string userId, UpdateUserBody? body, UserAdmin users, HttpContext http, CancellationToken ct)
    {
        var r = await users.UpdateAsync(userId, body, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Ok(UserDto.From(r.Value!)),
            ChangeStatus.Invalid => ChangeResults.Invalid(r),
            ChangeStatus.NotFound => TypedResults.NotFound(),
            _ => ChangeResults.Conflict(r),
        };
    }

    static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(string userId, UserAdmin users, HttpContext http, CancellationToken ct)
    {
        var r = await users.DeleteAsync(userId, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.NoContent(),
            ChangeStatus.NotFound => TypedResults.NotFound(),
            _ => ChangeResults.Conflict(r),
        };
    }
}

/// <summary>A user as the API shows it: never the password hash.</summary>
public sealed record UserDto(string UserId, string Username, string Role, bool Disabled, DateTimeOffset CreatedAt)
{
    public static UserDto From(User u) => new(u.UserId, u.Username, u.Role, u.Disabled, u.CreatedAt);
}

public sealed record UserListDto(IReadOnlyList<UserDto> Items);
