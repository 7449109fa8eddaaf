using System.Text;
using System.Text.Json;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace InstantChat.Web.Components.Pages;

/// <summary>One event: normalized fields, last error, attempts, the update JSON and the raw delivery bytes.</summary>
public sealed partial class EventDetail
{
    /// <summary>Raw bodies can be 16 MiB; the drawer shows the start and offers the download.</summary>
    const int RawPreviewBytes = 64 * 1024;
    const int ShortText = 500;

    [Inject] IEventStore Store { get; set; } = default!;
    [Inject] IQueueStore Queue { get; set; } = default!;
    [Inject] Shared.ViewerTime Viewer { get; set; } = default!;

    [Parameter, EditorRequired] public WebhookEvent Event { get; set; } = default!;
    [Parameter] public bool IsAdmin { get; set; }
    [Parameter] public EventCallback OnRetry { get; set; }
    [Parameter] public EventCallback OnClose { get; set; }

    /// <summary>The thread a direct-message event belongs to (the business's own messages: the thread of their recipient).</summary>
    string? ConversationHref =>
        Event.EventType is EventTypes.Messages or EventTypes.MessageReactions or EventTypes.MessagingSeen or EventTypes.MessagingPostbacks or EventTypes.MessagingReferral
        && Event.AccountId is { } account && (Event.SenderId == account ? Event.RecipientId : Event.SenderId) is { } participant
            ? $"/conversations?id={Uri.EscapeDataString(Core.Conversations.ConversationIds.For(account, participant))}"
            : null;

    IReadOnlyList<AttemptRecord> _attempts = [];
    string? _raw, _rawCaption, _shownFor;
    bool _fullText;
    (string, int, ProcessingStatus)? _loadedFor;

    protected override async Task OnParametersSetAsync()
    {
        if (_shownFor != Event.EventId) (_raw, _shownFor, _fullText) = (null, Event.EventId, false);
        // Attempts change only with the attempt count or status: reload then, not on every render.
        var key = (Event.EventId, Event.Attempts, Event.ProcessedStatus);
        if (_loadedFor == key) return;
        _loadedFor = key;
        try { _attempts = await Queue.AttemptsAsync(Event.EventId, CancellationToken.None); }
        catch (StoreUnavailableException) { _attempts = []; }
    }

    IEnumerable<(string, string)> Fields()
    {
        yield return ("Event id", Event.EventId);
        yield return ("Account", Event.AccountId ?? "—");
        yield return ("Sender", Event.SenderId is null ? "—" : Event.UserInfo.Username is { } u ? $"{Event.SenderId} (@{u})" : Event.SenderId);
        yield return ("Recipient", Event.RecipientId ?? "—");
        yield return ("Timestamp", Format.DateTime(Event.Timestamp));
        yield return ("Received", Format.DateTime(Event.ReceivedAt));
        yield return ("Processed", Format.DateTime(Event.ProcessedAt));
        yield return ("Processing", Event.ProcessingMs is { } ms ? $"{ms:0.##} ms" : "—");
        yield return ("Attempts", Event.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Event.NextAttemptAt is { } next && Event.ProcessedStatus == ProcessingStatus.Pending) yield return ("Next attempt", Format.DateTime(next));
        if (Event.Content.MediaUrl is { } media) yield return ("Media", $"{Event.Content.MediaType}: {media}");
        yield return ("Deduplication key", Event.DeduplicationKey);
        yield return ("Delivery", Event.DeliveryId);
    }

    async Task LoadRawAsync()
    {
        try
        {
            if (await Store.FindDeliveryAsync(Event.DeliveryId, CancellationToken.None) is not { } d)
            {
                (_raw, _rawCaption) = ("", "The delivery is no longer kept (retention).");
                return;
            }
            var shown = d.Body.Length > RawPreviewBytes ? d.Body.AsSpan(0, RawPreviewBytes) : d.Body.AsSpan();
            // Untrusted bytes: decoded leniently and rendered as text (Blazor escapes it), never as markup.
            _raw = Encoding.UTF8.GetString(shown);
            _rawCaption = $"{d.Size:#,0} bytes, {d.ContentType ?? "no content type"}, {Format.Count(d.EventCount, "event")} ({Format.Count(d.DuplicateCount, "duplicate")})"
                + (d.Body.Length > RawPreviewBytes ? $"; the first {RawPreviewBytes / 1024} KiB shown" : "");
        }
        catch (StoreUnavailableException)
        {
            (_raw, _rawCaption) = ("", "The store is unavailable; try again.");
        }
    }
}
