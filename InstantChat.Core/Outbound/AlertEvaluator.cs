using System.Globalization;
using InstantChat.Core.Ingest;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Outbound;

/// <summary>
/// Every 30 s: each enabled rule's condition, from kept counters (never a scan): an alert opens once
/// while its condition holds and resolves when it clears. Every host evaluates; the store keeps one
/// open alert per rule and subject. Signature failures are counted per host (its key is the host).
/// </summary>
public sealed partial class AlertEvaluator(
    IAlertStore alerts,
    IOutboundStore outbound,
    DestinationDirectory destinations,
    CircuitStates circuits,
    IStatsStore stats,
    IEventStore events,
    WebhookMetrics metrics,
    AlertNotifier notifier,
    TimeProvider clock,
    ILogger<AlertEvaluator> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    const int MinAttempts = 5;

    /// <summary>What a rule found: an alert to hold open (with its title and detail), or none, per key.</summary>
    sealed record Finding(string Rule, string Key, string? Title, string? Detail);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested) return;
            try { await EvaluateAsync(stoppingToken); }
            catch (StoreUnavailableException ex) { LogFailed(ex.Message); }
        }
    }

    /// <summary>One evaluation of every rule; returns the alerts it opened and resolved.</summary>
    public async Task<(IReadOnlyList<Alert> Opened, IReadOnlyList<Alert> Resolved)> EvaluateAsync(CancellationToken ct)
    {
        var rules = await alerts.RulesAsync(ct);
        var now = clock.GetUtcNow();
        var findings = new List<Finding>();
        findings.AddRange(await DestinationsAsync(rules.DestinationFailing, now, ct));
        findings.Add(await FailedEventsAsync(rules.FailedEvents, now, ct));
        findings.Add(Signatures(rules.SignatureFailures, now));
        findings.AddRange(await SilentAccountsAsync(rules.AccountSilent, now, ct));
        var (opened, resolved) = (new List<Alert>(), new List<Alert>());
        foreach (var f in findings)
        {
            if (f.Title is not null)
            {
                var alert = new Alert("alr_" + EventModel.EventIds.New(now), f.Rule, f.Key, f.Title, f.Detail ?? "", now);
                if (await alerts.OpenAsync(alert, ct)) opened.Add(alert);
            }
            else if (await alerts.ResolveAsync(f.Rule, f.Key, now, ct) is { } gone) resolved.Add(gone);
        }
        foreach (var a in opened) await notifier.NotifyAsync(a, rules.NotifyUrl, ct);
        foreach (var a in resolved) await notifier.NotifyAsync(a, rules.NotifyUrl, ct);
        return (opened, resolved);
    }

    async Task<IEnumerable<Finding>> DestinationsAsync(AlertRule rule, DateTimeOffset now, CancellationToken ct)
    {
        var health = await outbound.HealthAsync(now.AddMinutes(-5), ct);
        return destinations.Enabled.Select(d =>
        {
            var h = health.GetValueOrDefault(d.DestinationId) ?? DestinationHealthCounts.None;
            var failedShare = h.Attempts == 0 ? 0 : 100.0 * (h.Attempts - h.Succeeded) / h.Attempts;
            var open = circuits.IsOpen(d.DestinationId);
            var firing = rule.Enabled && ((h.Attempts >= MinAttempts && failedShare > rule.Threshold) || open);
            return new Finding(AlertKinds.DestinationFailing, d.DestinationId, firing ? $"Destination {d.Name} is failing" : null,
                open ? $"Its circuit is open; {failedShare:0}% of {h.Attempts} attempts failed in 5 minutes ({d.Url})."
                     : $"{failedShare:0}% of {h.Attempts} attempts failed in 5 minutes (threshold {rule.Threshold}%) ({d.Url}).");
        });
    }

    async Task<Finding> FailedEventsAsync(AlertRule rule, DateTimeOffset now, CancellationToken ct)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        var rows = await stats.RangeAsync(StatKinds.MinuteFailed, (minute - 9).ToString(CultureInfo.InvariantCulture), minute.ToString(CultureInfo.InvariantCulture), ct);
        var failed = (long)rows.Sum(r => r.Value);
        return new Finding(AlertKinds.FailedEvents, "", rule.Enabled && failed >= rule.Threshold ? $"{failed} events failed in 10 minutes" : null,
            $"{failed} events ended failed in the last 10 minutes (threshold {rule.Threshold}); see Events, status failed.");
    }

    Finding Signatures(AlertRule rule, DateTimeOffset now)
    {
        var refused = metrics.Refusals.Since(now, TimeSpan.FromMinutes(5));
        return new Finding(AlertKinds.SignatureFailures, Environment.MachineName, rule.Enabled && refused >= rule.Threshold ? $"{refused} deliveries refused for their signature" : null,
            $"{refused} deliveries had a missing or wrong X-Hub-Signature-256 in 5 minutes on {Environment.MachineName} (threshold {rule.Threshold}): a rotated or leaked app secret, or an attack.");
    }

    /// <summary>The most active accounts (kept totals): silent when their newest event is older than the threshold but younger than a day.</summary>
    async Task<IEnumerable<Finding>> SilentAccountsAsync(AlertRule rule, DateTimeOffset now, CancellationToken ct)
    {
        var findings = new List<Finding>();
        foreach (var account in await stats.TopAsync(StatKinds.Account, 20, ct))
        {
            var newest = (await events.ListAsync(new EventQuery(AccountId: account.Key, Limit: 1), ct)).Items.FirstOrDefault()?.ReceivedAt;
            var quiet = newest is { } at ? now - at : TimeSpan.MaxValue;
            var firing = rule.Enabled && quiet > TimeSpan.FromMinutes(rule.Threshold) && quiet < TimeSpan.FromDays(1);
            findings.Add(new Finding(AlertKinds.AccountSilent, account.Key, firing ? $"No delivery for account {account.Key} for {quiet.TotalMinutes:0} minutes" : null,
                $"Its last event arrived {newest:u}. Meta disables the webhooks of an app whose endpoint keeps failing: check the app's Webhooks page."));
        }
        return findings;
    }

    [LoggerMessage(LogLevel.Warning, "Evaluating alerts failed: {Error}")]
    partial void LogFailed(string error);
}
