using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using InstantChat.Web.Components.Dialogs;
using InstantChat.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>
/// Destinations with their health (24 h delivered share, p95, last attempt, backlog, circuit); admins
/// create and edit them (dialog), send a test event and see the answer, retry, replay, rotate, delete.
/// </summary>
public sealed partial class Destinations
{
    [Inject] DestinationService Service { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    sealed record Shown(string Name, string Secret);
    sealed record TestResult(string Name, OutboundAttempt Attempt);

    IReadOnlyList<DestinationStatus> _items = [];
    bool _loading = true;
    string? _error, _user;
    Shown? _secret;
    TestResult? _test;

    protected override async Task OnInitializedAsync()
    {
        _user = (await Auth).User.Identity?.Name;
        await LoadAsync();
    }

    async Task LoadAsync()
    {
        try
        {
            _items = (await Service.StatusesAsync(CancellationToken.None)).OrderBy(s => s.Destination.Name, StringComparer.OrdinalIgnoreCase).ToList();
            _error = null;
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so destinations could not be loaded.";
        }
        finally
        {
            _loading = false;
        }
    }

    static string Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Authority + u.AbsolutePath : url;

    static string Describe(Destination d) =>
        $"{(d.Filter.EventTypes is { Count: > 0 } t ? string.Join(", ", t) : "every event")}"
        + (d.Filter.Platforms is { Count: > 0 } p ? $" from {string.Join(", ", p.Select(Shared.PlatformIcon.NameOf))}" : "")
        + (d.Filter.TextContains is { } text ? $" containing \"{text}\"" : "")
        + (d.Ordering == Ordering.Conversation ? " · in conversation order" : "")
        + (d.Payload == PayloadShape.Meta ? " · Meta's update" : "");

    static string Rate(DestinationHealthCounts h) =>
        h.SuccessRate is { } rate ? $"{Format.Percent(rate)} of {Format.Count(h.Attempts, "attempt")}" : "no attempts";

    string Last(DestinationHealthCounts h) =>
        h.LastAttemptAt is { } at ? $"{(h.LastStatusCode is { } c ? $"HTTP {c}" : "no answer")}, {Format.Ago(at, Clock.GetUtcNow())}" : "–";

    static Color CircuitColor(CircuitState s) => s switch { CircuitState.Open => Color.Error, CircuitState.HalfOpen => Color.Warning, _ => Color.Success };
    static string CircuitText(CircuitState s) => s switch { CircuitState.Open => "open", CircuitState.HalfOpen => "half open", _ => "closed" };

    async Task EditAsync(Destination? existing)
    {
        var parameters = new DialogParameters<DestinationDialog> { { d => d.Existing, existing } };
        var dialog = await Dialogs.ShowAsync<DestinationDialog>(existing is null ? "New destination" : $"Edit {existing.Name}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: DestinationWithSecret created }) _secret = new Shown(created.Destination.Name, created.Secret);
        if (result is { Canceled: false, Data: Destination saved }) Snackbar.Add($"{saved.Name} saved.", Severity.Success);
        await LoadAsync();
    }

    async Task TestAsync(Destination d)
    {
        var r = await Service.SendTestAsync(d.DestinationId, CancellationToken.None);
        _test = r.Value is { } attempt ? new TestResult(d.Name, attempt) : null;
        await LoadAsync();
    }

    async Task RetryFailedAsync(Destination d)
    {
        var r = await Service.RetryManyAsync(d.DestinationId, OutboundStatus.Failed, _user, CancellationToken.None);
        Snackbar.Add(r.Succeeded ? $"{Format.Count(r.Value, "failed message")} sent again to {d.Name}." : "It was deleted meanwhile.", Severity.Info);
        await LoadAsync();
    }

    async Task ReplayAsync(Destination d)
    {
        if (await Dialogs.ShowMessageBoxAsync("Replay", $"Send every matching event of the last 24 hours to {d.Name} again? Messages it already has keep their webhook-id, so a receiver that deduplicates ignores them.",
                yesText: "Replay", cancelText: "Cancel") != true) return;
        var r = await Service.ReplayAsync(d.DestinationId, Clock.GetUtcNow().AddHours(-24), _user, CancellationToken.None);
        Snackbar.Add(r.Succeeded ? $"{Format.Count(r.Value, "event")} on the way to {d.Name}." : "It was deleted meanwhile.", Severity.Info);
        await LoadAsync();
    }

    async Task RotateAsync(Destination d)
    {
        if (await Dialogs.ShowMessageBoxAsync("Rotate the secret", $"Make a new signing secret for {d.Name}? The current one keeps signing beside it for 24 hours.",
                yesText: "Rotate", cancelText: "Cancel") != true) return;
        var r = await Service.RotateSecretAsync(d.DestinationId, _user, CancellationToken.None);
        if (r.Value is { } rotated) _secret = new Shown(d.Name, rotated.Secret);
        await LoadAsync();
    }

    async Task DeleteAsync(Destination d)
    {
        if (await Dialogs.ShowMessageBoxAsync("Delete destination", $"Delete {d.Name} with its messages and their history? Nothing more is sent to it.",
                yesText: "Delete", cancelText: "Cancel") != true) return;
        var r = await Service.DeleteAsync(d.DestinationId, _user, CancellationToken.None);
        Snackbar.Add(r.Succeeded ? $"{d.Name} deleted." : "It was already deleted.", r.Succeeded ? Severity.Success : Severity.Info);
        await LoadAsync();
    }
}
