namespace InstantChat.Core.Outbound;

/// <summary>
/// The body of a message in the destination's shape: the event as the API serves it (the web host
/// owns that JSON), or Meta's single update as received. Null when the event is no longer stored.
/// </summary>
public interface IOutboundPayloads
{
    Task<string?> BodyAsync(string eventId, PayloadShape shape, CancellationToken cancellationToken);
}
