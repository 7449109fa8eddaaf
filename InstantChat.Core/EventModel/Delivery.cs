namespace InstantChat.Core.EventModel;

/// <summary>One POST from Meta exactly as received: the bytes are kept so any event can show what was sent.</summary>
public sealed record Delivery(
    string DeliveryId,
    DateTimeOffset ReceivedAt,
    string? ContentType,
    ReadOnlyMemory<byte> Body)
{
    public int Size => Body.Length;
}

/// <summary>What the store knows of a delivery after its commit.</summary>
/// <param name="SameAs">
/// Set on a delivery whose every update was already stored (Meta's retry): its bytes are not kept
/// again, only this reference to the delivery that first brought them; <see cref="Body"/> is that one's.
/// </param>
/// <param name="Replays">How many later deliveries brought nothing new and point here.</param>
public sealed record DeliveryRecord(
    string DeliveryId,
    DateTimeOffset ReceivedAt,
    int Size,
    int EventCount,
    int DuplicateCount,
    string? ContentType,
    byte[] Body,
    string? SameAs = null,
    int Replays = 0);
