using System.Globalization;
using InstantChat.Core.EventModel;
using Microsoft.AspNetCore.Components;

namespace InstantChat.Web.Components.Pages;

/// <summary>The Events page's filters live in the address: a link shares them, Back returns to the previous ones.</summary>
public sealed partial class Events
{
    [Inject] NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "account")] public string? UrlAccount { get; set; }
    [SupplyParameterFromQuery(Name = "sender")] public string? UrlSender { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? UrlFrom { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? UrlTo { get; set; }
    [SupplyParameterFromQuery(Name = "platform")] public string? UrlPlatform { get; set; }

    /// <summary>Takes the filters the address names; true when they differ from what the page shows.</summary>
    bool ApplyUrl()
    {
        var before = Query();
        _type = InitialType is { } t && EventTypes.Understood.Contains(t) ? t : null;
        _platform = Platforms.IsKnown(UrlPlatform) ? UrlPlatform : null;
        _status = ProcessingStatuses.TryParse(InitialStatus ?? "", out var s) ? s : null;
        (_text, _account, _sender) = (Clean(InitialText), Clean(UrlAccount), Clean(UrlSender));
        (_from, _to) = (Day(UrlFrom), Day(UrlTo));
        return Query() != before;
    }

    /// <summary>The page's filters into the address, as a new history entry (typing a search replaces it instead).</summary>
    void PushUrl(bool replace) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["eventType"] = _type,
        ["platform"] = _platform,
        ["status"] = _status?.ToWire(),
        ["q"] = _text,
        ["account"] = _account,
        ["sender"] = _sender,
        ["from"] = _from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = _to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["eventId"] = null,
    }), replace: replace);

    static DateTime? Day(string? s) =>
        DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
