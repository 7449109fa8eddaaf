using InstantChat.Core.Ingest;
namespace InstantChat.Core.EventModel;

/// <summary>One normalized update (Instagram, Messenger or WhatsApp), as stored and as the API returns it.</summary>
public sealed record WebhookEvent
{
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    /// <summary>One of <see cref="Platforms"/>: which Meta product sent the update.</summary>
    public string Platform { get; init; } = Platforms.Instagram;
    public string? AccountId { get; init; }
    public string? SenderId { get; init; }
    public string? RecipientId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The single update's JSON (a messaging item or a change); null when the delivery did not parse (its bytes are in the delivery).</summary>
    public string? Payload { get; init; }
    public EventContent Content { get; init; } = EventContent.Empty;
    public UserInfo UserInfo { get; init; } = UserInfo.Empty;
    public ProcessingStatus ProcessedStatus { get; init; } = ProcessingStatus.Pending;
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? ProcessedAt { get; init; }
    public double? ProcessingMs { get; init; }
    /// <summary>When a pending event is due; a retry after a failure is scheduled in the future.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    public required string DeduplicationKey { get; init; }
    public required string DeliveryId { get; init; }
}

public sealed record EventContent(string? Text, string? MediaUrl, string? MediaType)
{
    public static readonly EventContent Empty = new(null, null, null);

    /// <summary>Meta's id of the media (WhatsApp sends an id to fetch, not a URL).</summary>
    public string? MediaId { get; init; }
    public Location? Location { get; init; }
    /// <summary>The message this one answers (a reply, a button's context) or reacts to.</summary>
    public string? RefersTo { get; init; }

    /// <summary>Whether any of the fields beyond text and media URL/type is set (they are stored together).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasExtras => MediaId is not null || Location is not null || RefersTo is not null;
}

public sealed record Location(double? Latitude, double? Longitude, string? Name, string? Address);

public sealed record UserInfo(string? Username, string? FullName, string? ProfilePicture)
{
    public static readonly UserInfo Empty = new(null, null, null);
}

public enum ProcessingStatus { Pending, Processing, Completed, Failed, Skipped }

public static class ProcessingStatuses
{
    public static string ToWire(this ProcessingStatus status) => status switch
    {
        ProcessingStatus.Pending => "pending",
        ProcessingStatus.Processing => "processing",
        ProcessingStatus.Completed => "completed",
        ProcessingStatus.Failed => "failed",
        ProcessingStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? value, out ProcessingStatus status)
    {
        status = default;
        return value is not null
            && Enum.TryParse(value, ignoreCase: true, out status)
            && Enum.IsDefined(status)
            && !value.All(char.IsDigit);
    }
}
