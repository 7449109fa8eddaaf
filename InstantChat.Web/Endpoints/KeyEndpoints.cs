using InstantChat.Core.Common;
using InstantChat.Core.Security;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>API keys: created by admins, shown once, stored as a hash, revocable.</summary>
public static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keys").RequireAuthorization(Policies.Admin).WithTags("Keys");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapDelete("/{keyId}", DeleteAsync);
        return app;
    }

    static async Task<Results<Created<CreatedKeyDto>, ValidationProblem>> CreateAsync(CreateKeyBody? body, ApiKeyService keys, HttpContext http, CancellationToken ct)
    {
        var r = await keys.CreateAsync(body, http.User.Identity?.Name, ct);
        if (r.Value is not { Key: var key, Secret: var secret }) return ChangeResults.Invalid(r);
        return TypedResults.Created($"/api/keys/{key.KeyId}", new CreatedKeyDto(key.KeyId, key.Name, key.Role, secret, key.CreatedAt));
    }

    static async Task<Ok<KeyListDto>> ListAsync(ApiKeyService keys, CancellationToken ct) =>
        TypedResults.Ok(new KeyListDto((await keys.ListAsync(ct)).Select(KeyDto.From).ToList()));

    static async Task<Results<NoContent, NotFound>> DeleteAsync(string keyId, ApiKeyService keys, HttpContext http, CancellationToken ct) =>
        (await keys.RevokeAsync(keyId, http.User.Identity?.Name, ct)).Succeeded ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <summary>Log category of security-relevant actions.</summary>
public sealed class KeyAudit;

/// <summary>The only response that ever carries the key.</summary>
public sealed record CreatedKeyDto(string KeyId, string Name, string Role, string Key, DateTimeOffset CreatedAt);

public sealed record KeyDto(string KeyId, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static KeyDto From(ApiKey k) => new(k.KeyId, k.Name, k.Role, k.Prefix + "…", k.CreatedAt, k.LastUsedAt);
}

public sealed record KeyListDto(IReadOnlyList<KeyDto> Items);
