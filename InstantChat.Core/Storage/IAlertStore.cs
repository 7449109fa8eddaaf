using InstantChat.Core.Outbound;

namespace InstantChat.Core.Storage;

/// <summary>Alert rules and alerts. At most one open alert per rule and key, whichever hosts evaluate.</summary>
public interface IAlertStore
{
    Task<AlertRules> RulesAsync(CancellationToken cancellationToken);
    Task SaveRulesAsync(AlertRules rules, CancellationToken cancellationToken);
    /// <summary>Opens <paramref name="alert"/> unless one of its rule and key is open already; true when this call opened it.</summary>
    Task<bool> OpenAsync(Alert alert, CancellationToken cancellationToken);
    /// <summary>Resolves the open alert of this rule and key, if any; the resolved alert.</summary>
    Task<Alert?> ResolveAsync(string rule, string key, DateTimeOffset at, CancellationToken cancellationToken);
    /// <summary>Open alerts, then the most recent resolved ones, at most <paramref name="limit"/> in all.</summary>
    Task<IReadOnlyList<Alert>> ListAsync(int limit, CancellationToken cancellationToken);
}
