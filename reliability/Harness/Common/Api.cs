using System.Net.Http.Headers;
using System.Text.Json;

namespace Reliability.Common;

/// <summary>One event as the list API returns it, reduced to what the checks read.</summary>
sealed record EventRow(string EventId, string EventType, string Status, string DeduplicationKey, string DeliveryId, string? AccountId, string? LastError, int Attempts);

/// <summary>The product's REST API with the configured admin key.</summary>
sealed class Api : IDisposable
{
    readonly HttpClient _client;

    public Api(Uri baseAddress)
    {
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Product.AdminKey);
    }

    public HttpClient Client => _client;

    /// <summary>Every status the list API answered (a 5xx here counts against the run like any other).</summary>
    public Tally Answers { get; } = new();

    /// <summary>Every event matching <paramref name="filter"/> (a query string without limit/cursor), newest first, 500 a page.</summary>
    public async Task<List<EventRow>> AllEventsAsync(string filter = "", CancellationToken ct = default)
    {
        var rows = new List<EventRow>();
        string? cursor = null;
        do
        {
            var url = $"/api/webhooks/events?limit=500{(filter.Length > 0 ? "&" + filter : "")}{(cursor is null ? "" : "&cursor=" + cursor)}";
            using var response = await _client.GetAsync(url, ct);
            Answers.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET {url} → {(int)response.StatusCode}: {(text.Length > 300 ? text[..300] + "…" : text)}");
            using var doc = JsonDocument.Parse(text);
            foreach (var e in doc.RootElement.GetProperty("items").EnumerateArray())
                rows.Add(new EventRow(
                    e.GetProperty("eventId").GetString()!,
                    e.GetProperty("eventType").GetString()!,
                    e.GetProperty("processedStatus").GetString()!,
                    e.GetProperty("deduplicationKey").GetString()!,
                    e.GetProperty("deliveryId").GetString()!,
                    e.TryGetProperty("accountId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
                    e.TryGetProperty("lastError", out var le) && le.ValueKind == JsonValueKind.String ? le.GetString() : null,
                    e.GetProperty("attempts").GetInt32()));
            cursor = doc.RootElement.TryGetProperty("nextCursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        } while (cursor is not null);
        return rows;
    }

    /// <summary>
    /// What is not finished yet: acknowledged deliveries the processor has not made into events
    /// (the stats' backlog) plus pending events, and processing events (exact: the list API).
    /// </summary>
    public async Task<(int Pending, int Processing)> InFlightAsync(CancellationToken ct = default)
    {
        async Task<int> Count(string status)
        {
            using var response = await _client.GetAsync($"/api/webhooks/events?status={status}&limit=500", ct);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return doc.RootElement.GetProperty("items").GetArrayLength();
        }
        var backlog = (int)await BacklogAsync(ct);
        return (backlog + await Count("pending"), await Count("processing"));
    }

    /// <summary>Acknowledged deliveries the processor has not made into events yet (the stats' backlog, counted by the store).</summary>
    public async Task<long> BacklogAsync(CancellationToken ct = default)
    {
        using var stats = await _client.GetAsync("/api/webhooks/stats", ct);
        Answers.Add(((int)stats.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        stats.EnsureSuccessStatusCode();
        using var report = JsonDocument.Parse(await stats.Content.ReadAsStringAsync(ct));
        return report.RootElement.GetProperty("backlog").GetProperty("deliveries").GetInt64();
    }

    /// <summary>
    /// Waits until every acknowledged delivery is processed (the 200 comes on the append; events
    /// follow within a second on an idle host). False when <paramref name="within"/> passes first.
    /// </summary>
    public async Task<bool> SettledAsync(TimeSpan within, CancellationToken ct = default)
    {
        var until = DateTime.UtcNow + within;
        while (await BacklogAsync(ct) > 0)
        {
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(50, ct);
        }
        return true;
    }

    /// <summary>The stats report's queue length (a counter kept on write), or -1 when the API does not answer.</summary>
    public async Task<long> QueueLengthAsync(CancellationToken ct = default)
    {
        try
        {
            using var response = await _client.GetAsync("/api/webhooks/stats", ct);
            if (!response.IsSuccessStatusCode) return -1;
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return doc.RootElement.GetProperty("queueLength").GetInt64();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Waits until nothing is pending or processing, twice in a row; returns the seconds it took, or
    /// null at the timeout (with the last counts in <paramref name="last"/>).
    /// </summary>
    public async Task<(double? Seconds, int Pending, int Processing)> WaitDrainedAsync(TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var clean = 0;
        (int Pending, int Processing) last = (-1, -1);
        while (DateTime.UtcNow - started < timeout)
        {
            try
            {
                last = await InFlightAsync();
                clean = last is (0, 0) ? clean + 1 : 0;
                if (clean >= 2) return ((DateTime.UtcNow - started).TotalSeconds, 0, 0);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { clean = 0; }
            await Task.Delay(500);
        }
        return (null, last.Pending, last.Processing);
    }

    /// <summary>A destination's pending messages and circuit state, from <c>/api/destinations/health</c>.</summary>
    public async Task<(long Backlog, string Circuit)> DestinationHealthAsync(string destinationId)
    {
        using var response = await _client.GetAsync("/api/destinations/health");
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = doc.RootElement.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("destinationId").GetString() == destinationId);
        return (item.GetProperty("backlog").GetInt64(), item.GetProperty("circuit").GetString() ?? "");
    }

    /// <summary>Whether an alert of <paramref name="rule"/> about <paramref name="key"/> is open now, and whether one was ever opened (<c>/api/alerts</c>).</summary>
    public async Task<(bool Open, bool Any)> AlertAsync(string rule, string key)
    {
        using var response = await _client.GetAsync("/api/alerts");
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var mine = doc.RootElement.GetProperty("items").EnumerateArray()
            .Where(a => a.GetProperty("rule").GetString() == rule && a.GetProperty("key").GetString() == key).ToList();
        return (mine.Any(a => !a.TryGetProperty("resolvedAt", out var r) || r.ValueKind == JsonValueKind.Null), mine.Count > 0);
    }

    public void Dispose() => _client.Dispose();
}
