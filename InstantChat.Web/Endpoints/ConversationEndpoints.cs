using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>What processing built: conversation threads, and comments with mentions.</summary>
public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        var conversations = app.MapGroup("/api/conversations").RequireAuthorization().WithTags("Conversations");
        conversations.MapGet("", ListAsync);
        conversations.MapGet("/{conversationId}/messages", MessagesAsync);
        app.MapGet("/api/comments", CommentsAsync).RequireAuthorization().WithTags("Conversations");
        return app;
    }

    static async Task<Results<Ok<ConversationListDto>, ValidationProblem>> ListAsync(
        string? accountId, string? limit, string? cursor, IConversationStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var size = Paging.Limit(limit, errors);
        if (cursor is { Length: > 0 } && !ConversationCursor.TryDecode(cursor, out _, out _))
            errors["cursor"] = ["cursor must be a nextCursor value returned by this endpoint."];
        if (accountId is { Length: > 128 }) errors["accountId"] = ["accountId must be at most 128 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var page = await store.ListAsync(NullIfEmpty(accountId), size, NullIfEmpty(cursor), ct);
        return TypedResults.Ok(new ConversationListDto(page.Items, page.NextCursor));
    }

    static async Task<Results<Ok<MessageListDto>, NotFound>> MessagesAsync(string conversationId, IConversationStore store, CancellationToken ct)
    {
        if (await store.FindAsync(conversationId, ct) is null) return TypedResults.NotFound();
        return TypedResults.Ok(new MessageListDto(conversationId, await store.MessagesAsync(conversationId, ct)));
    }

    static async Task<Results<Ok<CommentListDto>, ValidationProblem>> CommentsAsync(
        string? accountId, string? mediaId, string? limit, ICommentStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var size = Paging.Limit(limit, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(new CommentListDto(await store.ListAsync(NullIfEmpty(accountId), NullIfEmpty(mediaId), size, ct)));
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

static class Paging
{
    public const int Default = InstantChat.Core.Storage.EventQuery.DefaultLimit;
    public const int Max = InstantChat.Core.Storage.EventQuery.MaxLimit;

    /// <summary>limit as SPEC has it everywhere: a whole number from 1 to 500, default 50.</summary>
    public static int Limit(string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return Default;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Max)
            return n;
        errors["limit"] = [$"limit must be a whole number from 1 to {Max}."];
        return Default;
    }
}

public sealed record ConversationListDto(IReadOnlyList<Conversation> Items, string? NextCursor);
public sealed record MessageListDto(string ConversationId, IReadOnlyList<ThreadMessage> Items);
public sealed record CommentListDto(IReadOnlyList<CommentRecord> Items);
