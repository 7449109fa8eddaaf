using InstantChat.Core.Common;
using InstantChat.Core.EventModel;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Security;

public sealed record CreateKeyBody(string? Name, string? Role);

/// <summary>A new key and the only copy of its secret there will ever be.</summary>
public sealed record CreatedKey(ApiKey Key, string Secret);

/// <summary>API keys for the API and the dashboard: created by admins, shown once, stored as a hash, revocable.</summary>
public sealed partial class ApiKeyService(IApiKeyStore store, ApiKeyDirectory directory, TimeProvider clock, ILogger<ApiKeyService> audit)
{
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public async Task<ChangeResult<CreatedKey>> CreateAsync(CreateKeyBody? body, string? by, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Name is not { Length: > 0 and <= 100 } name || string.IsNullOrWhiteSpace(name)) errors["name"] = ["Name is required (at most 100 characters)."];
        if (body?.Role is not { } role || !Roles.All.Contains(role)) errors["role"] = ["Role must be admin or viewer."];
        if (errors.Count > 0) return Change.Invalid(errors);

        var now = clock.GetUtcNow();
        var secret = ApiKeySecrets.NewKey();
        var key = new ApiKey(EventIds.New(now), body!.Name!.Trim(), body.Role!, ApiKeySecrets.Hash(secret), secret[..8], now, null);
        await store.CreateAsync(key, ct);
        await directory.ReloadAsync(ct);
        LogCreated(audit, by, key.KeyId, key.Name, key.Role);
        return Change.Done(new CreatedKey(key, secret));
    }

    public async Task<ChangeResult<bool>> RevokeAsync(string keyId, string? by, CancellationToken ct)
    {
        if (!await store.DeleteAsync(keyId, ct)) return Change.NotFound;
        await directory.ReloadAsync(ct);
        LogRevoked(audit, by, keyId);
        return Change.Done(true);
    }

    [LoggerMessage(LogLevel.Information, "Audit: {User} created API key {KeyId} ({Name}, {Role})")]
    static partial void LogCreated(ILogger logger, string? user, string keyId, string name, string role);

    [LoggerMessage(LogLevel.Information, "Audit: {User} revoked API key {KeyId}")]
    static partial void LogRevoked(ILogger logger, string? user, string keyId);
}
