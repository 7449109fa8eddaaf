namespace InstantChat.Core.Webhooks;

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
public sealed record DeliveryRecord(
    string DeliveryId,
    DateTimeOffset ReceivedAt,
    int Size,
    int EventCount,
    int DuplicateCount,
    string? ContentType,
    byte[] Body);
