using InstantChat.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>A failed <see cref="ChangeResult{T}"/> as RFC 9457 problem details: 400 per field, 404, 409.</summary>
static class ChangeResults
{
    public static ValidationProblem Invalid<T>(ChangeResult<T> r) =>
        TypedResults.ValidationProblem(r.Errors ?? new Dictionary<string, string[]>());

    public static ProblemHttpResult Conflict<T>(ChangeResult<T> r) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: r.Title, detail: r.Detail);
}
