namespace InstantChat.Core.Comments;

/// <summary>A comment, live comment or mention as processing recorded it.</summary>
public sealed record CommentRecord(
    string Type,
    string AccountId,
    string MediaId,
    string CommentId,
    string? ParentId,
    string? MediaProductType,
    string? FromId,
    string? Username,
    string? Text,
    DateTimeOffset Timestamp,
    string EventId) : Processing.BusinessWrite;

public interface ICommentStore
{
    /// <summary>Idempotent: the same comment recorded twice stays one row.</summary>
    Task RecordAsync(CommentRecord record, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<CommentRecord>> ListAsync(string? accountId, string? mediaId, int limit, CancellationToken cancellationToken);
}
