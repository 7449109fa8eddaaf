using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Outbound;

/// <summary>Alerts as they open and resolve, for the pages (the notification panel, the Overview).</summary>
public sealed class AlertFeed
{
    public event Action<Alert>? Changed;

    public void Publish(Alert alert)
    {
        try { Changed?.Invoke(alert); } catch { /* a broken page must not stop the evaluator */ }
    }
}

/// <summary>
/// Tells people: the pages through <see cref="AlertFeed"/>, and the rules' notify URL with
/// <c>{"text": "…"}</c> (one attempt, through the destinations' client: the same address checks and
/// timeout). A notify URL that fails is logged; the alert stays in the product either way.
/// </summary>
public sealed partial class AlertNotifier(IHttpClientFactory http, AlertFeed feed, ILogger<AlertNotifier> logger)
{
    public async Task NotifyAsync(Alert alert, string? url, CancellationToken cancellationToken)
    {
        feed.Publish(alert);
        if (string.IsNullOrEmpty(url)) return;
        var text = alert.Open ? $"InstantChat alert: {alert.Title}. {alert.Detail}" : $"InstantChat alert resolved: {alert.Title}.";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { text }) };
            request.Options.Set(OutboundHttp.DestinationKey, "alerts");
            using var response = await http.CreateClient(OutboundHttp.ClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode) LogNotifyFailed(alert.AlertId, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotifyFailed(alert.AlertId, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sending alert {AlertId} to the notify URL failed: {Error}")]
    partial void LogNotifyFailed(string alertId, string error);
}
