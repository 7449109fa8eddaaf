using InstantChat.Core.Common;
using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Dialogs;

/// <summary>
/// Create or edit a destination, with the API's own validation (same messages, per field). A new
/// one closes with its secret (the page shows it once); an existing one can be sent a test event.
/// </summary>
public sealed partial class DestinationDialog
{
    [Inject] DestinationService Destinations { get; set; } = default!;
    [CascadingParameter] IMudDialogInstance Dialog { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;
    [Parameter] public Destination? Existing { get; set; }

    string? _name, _url, _accounts, _text, _headers, _problem;
    string _payload = "event", _ordering = "none";
    IReadOnlyCollection<string> _types = [];
    IReadOnlyCollection<string> _platforms = [];
    bool _enabled = true, _busy;
    int? _timeout, _rate, _concurrency;
    OutboundAttempt? _test;
    IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    protected override void OnInitialized()
    {
        if (Existing is not { } d) return;
        (_name, _url, _enabled, _text) = (d.Name, d.Url, d.Enabled, d.Filter.TextContains);
        _types = [.. d.Filter.EventTypes ?? []];
        _platforms = [.. d.Filter.Platforms ?? []];
        _accounts = string.Join(", ", d.Filter.AccountIds ?? []);
        (_payload, _ordering) = (d.Payload.ToWire(), d.Ordering.ToWire());
        (_timeout, _rate, _concurrency) = (d.TimeoutSeconds, d.MaxPerSecond, d.MaxConcurrency);
        _headers = string.Join('\n', d.Headers.Select(h => $"{h.Key}: {h.Value}"));
    }

    bool Has(string field) => _errors.ContainsKey(field);
    string? Error(string field) => _errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    DestinationBody Body() => new(
        _name, _url?.Trim(), _enabled,
        new DestinationFilterBody(_types.ToList(),
            (_accounts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            string.IsNullOrWhiteSpace(_text) ? null : _text, _platforms.ToList()),
        _payload, Headers(), _timeout, _rate, _concurrency, _ordering);

    /// <summary>"Name: value" lines; a line without a colon becomes a name with an empty value, which validation names.</summary>
    Dictionary<string, string> Headers() =>
        (_headers ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2))
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Length > 1 ? g.Last()[1].Trim() : "");

    async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var by = (await Auth).User.Identity?.Name;
            if (Existing is { } d)
            {
                var r = await Destinations.UpdateAsync(d.DestinationId, Body(), by, CancellationToken.None);
                Done(r, r.Value);
            }
            else
            {
                var r = await Destinations.CreateAsync(Body(), by, CancellationToken.None);
                Done(r, r.Value);
            }
        }
        catch (StoreUnavailableException)
        {
            _problem = "The store is unavailable; nothing was saved. Try again shortly.";
        }
        finally
        {
            _busy = false;
        }
    }

    void Done<T>(ChangeResult<T> r, object? value)
    {
        _errors = r.Errors ?? new Dictionary<string, string[]>();
        _problem = r.Status == ChangeStatus.NotFound ? "This destination was deleted meanwhile." : null;
        if (r.Succeeded) Dialog.Close(DialogResult.Ok(value));
    }

    async Task TestAsync()
    {
        _busy = true;
        try
        {
            _test = (await Destinations.SendTestAsync(Existing!.DestinationId, CancellationToken.None)).Value;
        }
        finally
        {
            _busy = false;
        }
    }
}
