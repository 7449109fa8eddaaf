using System.ComponentModel.DataAnnotations;

namespace InstantChat.Core.Outbound;

/// <summary>The alert rules, each on or off with its threshold, and where alerts are also sent.</summary>
public sealed record AlertRules
{
    /// <summary>A destination's failed share over 5 minutes above <see cref="DestinationFailing.Threshold"/> % (of at least 5 attempts), or its circuit open.</summary>
    public AlertRule DestinationFailing { get; init; } = new(true, 50);
    /// <summary>Events that ended failed in the last 10 minutes: at least this many.</summary>
    public AlertRule FailedEvents { get; init; } = new(true, 10);
    /// <summary>Deliveries refused for a missing or wrong signature in the last 5 minutes (on one host): at least this many.</summary>
    public AlertRule SignatureFailures { get; init; } = new(true, 20);
    /// <summary>An account that received events in the last 24 h has received none for this many minutes.</summary>
    public AlertRule AccountSilent { get; init; } = new(true, 60);
    /// <summary>A plain URL that receives <c>{"text": "…"}</c> when an alert opens or resolves (Slack, Teams and Discord incoming webhooks take it).</summary>
    public string? NotifyUrl { get; init; }

    public static readonly AlertRules Defaults = new();
}

public sealed record AlertRule(bool Enabled, [property: Range(1, 1_000_000)] int Threshold);

public static class AlertKinds
{
    public const string DestinationFailing = "destinationFailing";
    public const string FailedEvents = "failedEvents";
    public const string SignatureFailures = "signatureFailures";
    public const string AccountSilent = "accountSilent";
}

/// <summary>
/// One alert: opened once per rule and subject (<see cref="Key"/>: a destination, an account, a
/// host) while its condition holds, resolved automatically when it clears.
/// </summary>
public sealed record Alert(string AlertId, string Rule, string Key, string Title, string Detail, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt = null)
{
    public bool Open => ResolvedAt is null;
}

public static class AlertRulesValidator
{
    public static Dictionary<string, string[]> Validate(AlertRules? rules)
    {
        var errors = new Dictionary<string, string[]>();
        if (rules is null) { errors["body"] = ["A JSON object of rules is required."]; return errors; }
        void Check(string name, AlertRule? rule, int max, string unit)
        {
            if (rule is null) errors[name] = [$"{name} is required: {{ \"enabled\", \"threshold\" }}."];
            else if (rule.Threshold < 1 || rule.Threshold > max) errors[$"{name}.threshold"] = [$"Threshold must be between 1 and {max} ({unit})."];
        }
        Check("destinationFailing", rules.DestinationFailing, 100, "percent of attempts failed over 5 minutes");
        Check("failedEvents", rules.FailedEvents, 1_000_000, "failed events in 10 minutes");
        Check("signatureFailures", rules.SignatureFailures, 1_000_000, "refused deliveries in 5 minutes");
        Check("accountSilent", rules.AccountSilent, 10_080, "minutes without a delivery");
        if (rules.NotifyUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp) || url.Length > 2048))
            errors["notifyUrl"] = ["Notify URL must be an absolute http or https URL (a Slack, Teams or Discord incoming webhook)."];
        return errors;
    }
}
