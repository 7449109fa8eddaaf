using InstantChat.Core.EventModel;
using InstantChat.Core.Common;
using InstantChat.Core.Storage;

namespace InstantChat.Core.Ingest;

public sealed record TestEventBody(string? EventType, string? AccountId, string? SenderId, TestEventContent? Content, TestEventUser? UserInfo);
public sealed record TestEventContent(string? Text);
public sealed record TestEventUser(string? Username);

/// <summary>
/// "Send test event" for the API and the dashboard: a genuine envelope through the real ingest
/// path. Throws <see cref="Storage.StoreUnavailableException"/> when it could not be stored.
/// </summary>
public sealed class TestEventService(WebhookIngestor ingestor, IEventStore events, Parsing.MetaParser parser, TimeProvider clock)
{
    public async Task<ChangeResult<string>> SendAsync(TestEventBody? body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.EventType is not { } type || !EventTypes.Known.Contains(type))
            errors["eventType"] = [$"Event type must be one of {string.Join(", ", EventTypes.Known)}."];
        if (body?.AccountId is not { Length: > 0 and <= 128 }) errors["accountId"] = ["Account id is required (at most 128 characters)."];
        if (body?.SenderId is not { Length: > 0 and <= 128 }) errors["senderId"] = ["Sender id is required (at most 128 characters)."];
        if (body?.Content?.Text is { Length: > 2_000 }) errors["content.text"] = ["Text must be at most 2000 characters."];
        if (body?.UserInfo?.Username is { Length: > 128 }) errors["userInfo.username"] = ["Username must be at most 128 characters."];
        if (errors.Count > 0) return Change.Invalid(errors);

        var request = new TestEventRequest(body!.EventType!, body.AccountId!, body.SenderId!, body.Content?.Text, body.UserInfo?.Username);
        var envelope = TestEvents.Envelope(request, clock.GetUtcNow());
        // Its ids are fresh, so its deduplication key names the one event the processor will make of it.
        var key = parser.Parse(envelope, "test", clock.GetUtcNow()).Single().DeduplicationKey;
        await ingestor.IngestAsync(envelope, "application/json");
        var deadline = clock.GetUtcNow() + ProcessingWait;
        while (true)
        {
            if (await events.FindByKeyAsync(key, ct) is { } stored) return Change.Done(stored.EventId);
            if (clock.GetUtcNow() > deadline)
                throw new StoreUnavailableException($"the test event was logged but not processed within {ProcessingWait.TotalSeconds} s (is a processor running?)");
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock, ct);
        }
    }

    static readonly TimeSpan ProcessingWait = TimeSpan.FromSeconds(10);
}
