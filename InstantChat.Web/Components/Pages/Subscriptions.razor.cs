using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Web.Components.Dialogs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>The subscriptions table; admins create, edit (dialog) and delete (after a confirmation).</summary>
public sealed partial class Subscriptions
{
    [Inject] SubscriptionService Service { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    IReadOnlyList<WebhookSubscription> _items = [];
    bool _loading = true, _isAdmin;
    string? _error, _user;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Auth).User;
        (_isAdmin, _user) = (user.IsInRole(Core.Security.Roles.Admin), user.Identity?.Name);
        await LoadAsync();
    }

    async Task LoadAsync()
    {
        try
        {
            _items = (await Service.ListAsync(CancellationToken.None)).OrderBy(s => s.InstagramAccountId, StringComparer.Ordinal).ToList();
            _error = null;
            await LoadHealthAsync();
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so subscriptions could not be loaded.";
        }
        finally
        {
            _loading = false;
        }
    }

    async Task EditAsync(WebhookSubscription? existing)
    {
        var parameters = new DialogParameters<SubscriptionDialog> { { d => d.Existing, existing } };
        var title = existing is null ? "New subscription" : $"Edit subscription {existing.InstagramAccountId}";
        var dialog = await Dialogs.ShowAsync<SubscriptionDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        if (await dialog.Result is not { Canceled: false, Data: WebhookSubscription saved }) return;
        Snackbar.Add($"Subscription for {saved.InstagramAccountId} saved.", Severity.Success);
        await LoadAsync();
    }

    async Task DeleteAsync(WebhookSubscription s)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete subscription",
            $"Delete the subscription of account {s.InstagramAccountId}? Its events will then be processed with the global settings.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        var r = await Service.DeleteAsync(s.SubscriptionId, _user, CancellationToken.None);
        Snackbar.Add(r.Succeeded ? $"Subscription for {s.InstagramAccountId} deleted." : "It was already deleted.", r.Succeeded ? Severity.Success : Severity.Info);
        await LoadAsync();
    }
}
