using InstantChat.Core.Common;
using InstantChat.Core.Security;
using InstantChat.Core.Storage;
using InstantChat.Web.Components.Dialogs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>Admins manage users: add, change role, disable, reset password, delete; never the last admin.</summary>
public sealed partial class Users
{
    [Inject] UserAdmin Admin { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    IReadOnlyList<User> _items = [];
    bool _loading = true;
    string? _error, _me;
    int _loads;

    protected override async Task OnInitializedAsync()
    {
        _me = (await Auth).User.Identity?.Name;
        await LoadAsync();
    }

    async Task LoadAsync()
    {
        try
        {
            _items = (await Admin.ListAsync(CancellationToken.None)).OrderBy(u => u.Username, StringComparer.Ordinal).ToList();
            (_error, _loads) = (null, _loads + 1);
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so users could not be loaded.";
        }
        finally
        {
            _loading = false;
        }
    }

    async Task AddAsync()
    {
        var dialog = await Dialogs.ShowAsync<UserDialog>("Add user", new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false, Data: User created })
        {
            Snackbar.Add($"User {created.Username} added.", Severity.Success);
            await LoadAsync();
        }
    }

    async Task ResetAsync(User user)
    {
        var parameters = new DialogParameters<UserDialog> { { d => d.ResetFor, user } };
        var dialog = await Dialogs.ShowAsync<UserDialog>($"Reset password of {user.Username}", parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false }) Snackbar.Add($"Password of {user.Username} reset.", Severity.Success);
    }

    async Task ChangeAsync(User user, UpdateUserBody change) => Report(await Admin.UpdateAsync(user.UserId, change, _me, CancellationToken.None), $"{user.Username} updated.");

    async Task DeleteAsync(User user)
    {
        if (await Dialogs.ShowMessageBoxAsync("Delete user", $"Delete {user.Username}? They are signed out at their next request.", yesText: "Delete", cancelText: "Cancel") != true) return;
        Report(await Admin.DeleteAsync(user.UserId, _me, CancellationToken.None), $"{user.Username} deleted.");
    }

    void Report<T>(ChangeResult<T> r, string done)
    {
        var message = r.Status switch
        {
            ChangeStatus.Done => done,
            ChangeStatus.Conflict => r.Detail,
            ChangeStatus.NotFound => "That user no longer exists.",
            _ => string.Join(" ", (r.Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value)),
        };
        Snackbar.Add(message ?? "Not changed.", r.Succeeded ? Severity.Success : Severity.Error);
        _ = InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); });
    }
}
