namespace InstantChat.Core.Common;

public enum ChangeStatus { Done, Invalid, NotFound, Conflict }

/// <summary>
/// The outcome of an admin change, shared by the REST endpoints (which turn it into 2xx, 400, 404
/// or 409 problem details) and the dashboard (which shows the same messages next to the fields).
/// </summary>
public sealed record ChangeResult<T>(
    ChangeStatus Status,
    T? Value = default,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? Title = null,
    string? Detail = null)
{
    public bool Succeeded => Status == ChangeStatus.Done;

    public static implicit operator ChangeResult<T>(ChangeFailure failure) =>
        new(failure.Status, default, failure.Errors, failure.Title, failure.Detail);
}

/// <summary>A failed change of any value type, so services can write <c>return Change.NotFound;</c>.</summary>
public sealed record ChangeFailure(ChangeStatus Status, IReadOnlyDictionary<string, string[]>? Errors = null, string? Title = null, string? Detail = null);

public static class Change
{
    public static ChangeResult<T> Done<T>(T value) => new(ChangeStatus.Done, value);
    public static readonly ChangeFailure NotFound = new(ChangeStatus.NotFound);
    public static ChangeFailure Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ChangeStatus.Invalid, errors);
    public static ChangeFailure Conflict(string title, string detail) => new(ChangeStatus.Conflict, null, title, detail);
}
