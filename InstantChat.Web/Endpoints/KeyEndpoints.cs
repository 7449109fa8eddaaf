using InstantChat.Core.Security;
using InstantChat.Core.Webhooks;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>API keys: created by admins, shown once, stored as a hash, revocable.</summary>
public static partial class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keys").RequireAuthorization(Policies.Admin).WithTags("Keys");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapDelete("/{keyId}", DeleteAsync);
        return app;
    }

    static async Task<Results<Created<CreatedKeyDto>, ValidationProblem>> CreateAsync(
        CreateKeyBody? body, IApiKeyStore store, ApiKeyDirectory directory, TimeProvider clock, HttpContext http, ILogger<KeyAudit> audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Name is not { Length: > 0 and <= 100 } name || string.IsNullOrWhiteSpace(name)) errors["name"] = ["name is required (at most 100 characters)."];
        if (body?.Role is not { } role || !Roles.All.Contains(role)) errors["role"] = ["role must be admin or viewer."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var now = clock.GetUtcNow();
        var secret = ApiKeySecrets.NewKey();
        var key = new ApiKey(EventIds.New(now), body!.Name!.Trim(), body.Role!, ApiKeySecrets.Hash(secret), secret[..8], now, null);
        await store.CreateAsync(key, ct);
        await directory.ReloadAsync(ct);
        LogCreated(audit, http.User.Identity?.Name, key.KeyId, key.Name, key.Role);
        return TypedResults.Created($"/api/keys/{key.KeyId}", new CreatedKeyDto(key.KeyId, key.Name, key.Role, secret, key.CreatedAt));
    }

    static async Task<Ok<KeyListDto>> ListAsync(IApiKeyStore store, CancellationToken ct) =>
        TypedResults.Ok(new KeyListDto((await store.ListAsync(ct)).Select(k => new KeyDto(k.KeyId, k.Name, k.Role, k.Prefix + "…", k.CreatedAt, k.LastUsedAt)).ToList()));

    static async Task<Results<NoContent, NotFound>> DeleteAsync(string keyId, IApiKeyStore store, ApiKeyDirectory directory, HttpContext http, ILogger<KeyAudit> audit, CancellationToken ct)
    {
        if (!await store.DeleteAsync(keyId, ct)) return TypedResults.NotFound();
        await directory.ReloadAsync(ct);
        LogRevoked(audit, http.User.Identity?.Name, keyId);
        return TypedResults.NoContent();
    }

    [LoggerMessage(LogLevel.Information, "Audit: {User} created API key {KeyId} ({Name}, {Role})")]
    static partial void LogCreated(ILogger logger, string? user, string keyId, string name, string role);

    [LoggerMessage(LogLevel.Information, "Audit: {User} revoked API key {KeyId}")]
    static partial void LogRevoked(ILogger logger, string? user, string keyId);
}

/// <summary>Log category of security-relevant actions.</summary>
public sealed class KeyAudit;

public sealed record CreateKeyBody(string? Name, string? Role);

/// <summary>The only response that ever carries the key.</summary>
public sealed record CreatedKeyDto(string KeyId, string Name, string Role, string Key, DateTimeOffset CreatedAt);

public sealed record KeyDto(string KeyId, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
public sealed record KeyListDto(IReadOnlyList<KeyDto> Items);
