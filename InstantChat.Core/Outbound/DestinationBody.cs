using InstantChat.Core.EventModel;

namespace InstantChat.Core.Outbound;

/// <summary>What clients send to create or replace a destination (SPEC: Destinations). Secrets are never part of it.</summary>
public sealed record DestinationBody(
    string? Name,
    string? Url,
    bool? Enabled,
    DestinationFilterBody? Filter,
    string? Payload,
    Dictionary<string, string>? Headers,
    int? TimeoutSeconds,
    int? MaxPerSecond,
    int? MaxConcurrency,
    string? Ordering)
{
    public Destination ToDestination(string id, DestinationSecrets secrets, DateTimeOffset createdAt, DateTimeOffset now) => new()
    {
        DestinationId = id,
        Name = Name!.Trim(),
        Url = Url!,
        Enabled = Enabled ?? true,
        Filter = new DestinationFilter(Filter?.EventTypes?.Distinct().ToList(), Filter?.AccountIds?.Distinct().ToList(), Filter?.TextContains is { Length: > 0 } t ? t : null,
            Filter?.Platforms?.Distinct().ToList()),
        Payload = DestinationWire.ParsePayload(Payload)!.Value,
        Headers = Headers ?? [],
        TimeoutSeconds = TimeoutSeconds ?? 10,
        MaxPerSecond = MaxPerSecond,
        MaxConcurrency = MaxConcurrency,
        Ordering = DestinationWire.ParseOrdering(Ordering)!.Value,
        Secrets = secrets,
        CreatedAt = createdAt,
        UpdatedAt = now,
    };
}

public sealed record DestinationFilterBody(IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? AccountIds, string? TextContains,
    IReadOnlyList<string>? Platforms = null);

public static class DestinationValidator
{
    /// <summary>Headers the product sets itself: a destination may not replace them.</summary>
    static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length", "host",
        "transfer-encoding", "connection", "user-agent", "expect", "upgrade", "te", "trailer", "keep-alive", "proxy-connection",
    };

    /// <summary>One message per bad field, keyed by its JSON path.</summary>
    public static Dictionary<string, string[]> Validate(DestinationBody? body, bool allowPrivate)
    {
        var errors = new Dictionary<string, string[]>();
        void Bad(string field, string message) => errors[field] = [message];
        if (body is null) { Bad("body", "A JSON destination is required."); return errors; }

        if (body.Name?.Trim() is not { Length: > 0 and <= 100 }) Bad("name", "Name is required, at most 100 characters.");
        if (UrlProblem(body.Url, allowPrivate) is { } url) Bad("url", url);
        if (body.Filter?.EventTypes is { } types && types.Where(t => !EventTypes.Understood.Contains(t)).ToList() is { Count: > 0 } unknown)
            Bad("filter.eventTypes", $"Unknown event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", EventTypes.Understood)}.");
        if (body.Filter?.Platforms is { } platforms && platforms.Where(p => !Platforms.IsKnown(p)).ToList() is { Count: > 0 } unknownPlatforms)
            Bad("filter.platforms", $"Unknown platforms: {string.Join(", ", unknownPlatforms)}. Known: {string.Join(", ", Platforms.All)}.");
        if (body.Filter?.AccountIds is { } accounts && accounts.Any(a => a is not { Length: > 0 and <= 32 } || !a.All(char.IsAsciiDigit)))
            Bad("filter.accountIds", "Account ids are numeric (digits only, at most 32).");
        if (body.Filter?.TextContains is { Length: > 200 }) Bad("filter.textContains", "Text to match must be at most 200 characters.");
        if (DestinationWire.ParsePayload(body.Payload) is null) Bad("payload", "Payload must be \"event\" (the event as the API returns it) or \"meta\" (Meta's update as received).");
        if (DestinationWire.ParseOrdering(body.Ordering) is null) Bad("ordering", "Ordering must be \"none\" or \"conversation\".");
        if (body.TimeoutSeconds is < 1 or > 60) Bad("timeoutSeconds", "Timeout must be between 1 and 60 seconds.");
        if (body.MaxPerSecond is < 1 or > 10_000) Bad("maxPerSecond", "Maximum rate must be between 1 and 10000 requests a second (omit it for no limit).");
        if (body.MaxConcurrency is < 1 or > 256) Bad("maxConcurrency", "Maximum concurrency must be between 1 and 256.");
        if (body.Headers is { } headers)
        {
            if (headers.Count > 20) Bad("headers", "At most 20 extra headers.");
            else if (headers.Keys.FirstOrDefault(Reserved.Contains) is { } reserved) Bad("headers", $"Header {reserved} is set by InstantChat and cannot be replaced.");
            else if (headers.FirstOrDefault(h => !IsToken(h.Key) || h.Value is null || h.Value.Length > 1024 || h.Value.Any(c => c is '\r' or '\n' or '\0')) is { Key: not null } bad)
                Bad("headers", $"Header {bad.Key}: names are HTTP tokens, values at most 1024 characters without line breaks.");
        }
        return errors;
    }

    static string? UrlProblem(string? url, bool allowPrivate)
    {
        if (url is not { Length: > 0 and <= 2048 } || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "URL is required: an absolute http or https URL of at most 2048 characters.";
        if (uri.UserInfo.Length > 0) return "URL must not carry a user name or password; use a header (headers) for credentials.";
        if (!uri.Fragment.Equals("", StringComparison.Ordinal)) return "URL must not have a fragment (#…).";
        if (!allowPrivate && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.DnsSafeHost, out var ip) && AddressGuard.IsForbidden(ip))))
            return "URL points to a loopback, private, link-local or metadata address; set DESTINATIONS_ALLOW_PRIVATE=true to allow it.";
        return null;
    }

    static bool IsToken(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
