namespace InstantChat.Core.Storage;

/// <summary>
/// The rules of the events' text search (<c>q</c>), the same for every store: it goes through an
/// index, so its cost does not depend on how many events there are or on whether anything matches.
/// SQLite indexes trigrams (any substring of 3 or more characters, case-insensitive); MongoDB
/// indexes words (each word of <c>q</c> must begin a word of the text or username).
/// </summary>
public static class TextSearch
{
    public const int MinLength = 3;

    /// <summary>Shorter queries name no trigram, so no index can answer them.</summary>
    public static bool IsSearchable(string? q) => q is not null && q.EnumerateRunes().Take(MinLength).Count() == MinLength;

    public static string TooShort(string field) => $"{field} must be at least {MinLength} characters (the search index works on trigrams).";
}
