using InstantChat.Core.Common;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.EventModel;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Dialogs;

/// <summary>
/// Create or edit a subscription. Validation is the API's own (same messages, per field); secrets
/// are typed in and never shown back: left empty they are kept, "clear" removes them.
/// </summary>
public sealed partial class SubscriptionDialog
{
    [Inject] SubscriptionService Subscriptions { get; set; } = default!;
    /// <summary>What an empty field means: the host's own settings, shown beside the fields.</summary>
    [Inject] Microsoft.Extensions.Options.IOptions<Core.Ingest.WebhookOptions> Defaults { get; set; } = default!;
    [CascadingParameter] IMudDialogInstance Dialog { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;
    [Parameter] public WebhookSubscription? Existing { get; set; }

    string? _account, _userId, _url, _verifyToken, _secret, _conflict;
    string _platform = Platforms.Instagram;
    IReadOnlyCollection<string> _fields = [.. EventTypes.Known];
    bool _enableQueue = true, _clearVerifyToken, _clearSecret, _busy;
    int? _batchSize, _retryAttempts;
    IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    protected override void OnInitialized()
    {
        if (Existing is not { } s) return;
        (_account, _userId, _url, _platform) = (s.InstagramAccountId, s.UserId, s.WebhookConfig.Url, s.Platform);
        _fields = [.. s.SubscribedFields];
        (_enableQueue, _batchSize, _retryAttempts) = (s.ProcessingConfig.EnableQueue, s.ProcessingConfig.BatchSize, s.ProcessingConfig.RetryAttempts);
    }

    /// <summary>The id Meta puts in <c>entry[].id</c> for the platform: what the subscription is keyed by.</summary>
    string AccountLabel => _platform switch
    {
        Platforms.Messenger => "Facebook Page id",
        Platforms.WhatsApp => "WhatsApp Business Account id",
        _ => "Instagram account id",
    };

    string AccountHelp => _platform switch
    {
        Platforms.Messenger => "The numeric id of the Facebook Page",
        Platforms.WhatsApp => "The WABA id (not the phone number id): Meta sends it as each entry's id",
        _ => "The numeric id of the Instagram professional account",
    };

    /// <summary>Another platform has other fields: start from all of them.</summary>
    void SetPlatform(string platform)
    {
        if (platform == _platform) return;
        _platform = platform;
        _fields = [.. Platforms.Fields(platform)];
    }

    bool Has(string field) => _errors.ContainsKey(field);
    string? Error(string field) => _errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    /// <summary>null keeps the stored secret, "" clears it, anything else replaces it.</summary>
    static string? SecretChange(string? typed, bool clear) => clear ? "" : string.IsNullOrEmpty(typed) ? null : typed;

    SubscriptionBody Body() => new(
        _account?.Trim(), string.IsNullOrWhiteSpace(_userId) ? null : _userId.Trim(), _fields.ToList(),
        new WebhookConfigBody(string.IsNullOrWhiteSpace(_url) ? null : _url.Trim(), SecretChange(_verifyToken, _clearVerifyToken), SecretChange(_secret, _clearSecret)),
        new ProcessingConfigBody(_enableQueue, _batchSize, _retryAttempts), _platform);

    async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var by = (await Auth).User.Identity?.Name;
            var r = Existing is { } s
                ? await Subscriptions.UpdateAsync(s.SubscriptionId, Body(), by, CancellationToken.None)
                : await Subscriptions.CreateAsync(Body(), by, CancellationToken.None);
            _errors = r.Errors ?? new Dictionary<string, string[]>();
            _conflict = r.Status switch
            {
                ChangeStatus.Conflict => r.Detail,
                ChangeStatus.NotFound => "This subscription was deleted meanwhile.",
                _ => null,
            };
            if (r.Succeeded) Dialog.Close(DialogResult.Ok(r.Value));
        }
        catch (StoreUnavailableException)
        {
            _conflict = "The store is unavailable; nothing was saved. Try again shortly.";
        }
        finally
        {
            _busy = false;
        }
    }
}
