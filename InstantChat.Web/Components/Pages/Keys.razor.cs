using InstantChat.Core.Security;
using InstantChat.Core.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>Admins create keys (the secret is shown once, on this page only) and revoke them.</summary>
public sealed partial class Keys
{
    [Inject] ApiKeyService Service { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    IReadOnlyList<ApiKey> _items = [];
    bool _loading = true;
    string? _error, _me, _name;
    string? _role = Roles.Viewer;
    CreatedKey? _created;
    IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    bool Has(string field) => _errors.ContainsKey(field);
    string? Error(string field) => _errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    protected override async Task OnInitializedAsync()
    {
        _me = (await Auth).User.Identity?.Name;
        await LoadAsync();
    }

    async Task LoadAsync()
    {
        try
        {
            _items = (await Service.ListAsync(CancellationToken.None)).OrderByDescending(k => k.CreatedAt).ToList();
            _error = null;
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so keys could not be loaded.";
        }
        finally
        {
            _loading = false;
        }
    }

    async Task CreateAsync()
    {
        var r = await Service.CreateAsync(new CreateKeyBody(_name, _role), _me, CancellationToken.None);
        _errors = r.Errors ?? new Dictionary<string, string[]>();
        if (!r.Succeeded) return;
        (_created, _name) = (r.Value, null);
        await LoadAsync();
    }

    async Task RevokeAsync(ApiKey key)
    {
        if (await Dialogs.ShowMessageBoxAsync("Revoke key", $"Revoke {key.Name}? Clients using it are refused at once.", yesText: "Revoke", cancelText: "Cancel") != true) return;
        var r = await Service.RevokeAsync(key.KeyId, _me, CancellationToken.None);
        Snackbar.Add(r.Succeeded ? $"{key.Name} revoked." : "It was already revoked.", r.Succeeded ? Severity.Success : Severity.Info);
        if (_created?.Key.KeyId == key.KeyId) _created = null;
        await LoadAsync();
    }
}
