using System.Buffers;
using System.Text.Json;

namespace InstantChat.Core.Ingest;

/// <summary>
/// The accounts a delivery's entries name, read strictly, for deciding what a subscription's secret
/// may vouch for. It reads the body as the parser does (BOM skipped, UTF-8 checked, the same JSON
/// rules and depth) and calls the body ambiguous wherever two readers could disagree: a property
/// name twice in one object (first vs last wins), an entry that is not an object (stop vs skip), an
/// <c>id</c> that is not a string (number formats). An ambiguous body is never attributed to a
/// subscription; a body that is no envelope at all names no account.
/// </summary>
public static class EnvelopeAccounts
{
    /// <param name="Accounts">One item per entry: its id, or "" when it has none (no subscription owns "").</param>
    /// <param name="Ambiguity">Why the body cannot be attributed, or null.</param>
    public sealed record Reading(IReadOnlyList<string> Accounts, string? Ambiguity)
    {
        public static readonly Reading None = new([], null);
    }

    const int MaxDepth = 64;

    public static Reading Read(ReadOnlyMemory<byte> body) => Read(new ReadOnlySequence<byte>(body));

    /// <summary>Reads the body where it lies (the chunks it arrived in): no copy of bytes not yet known to be signed.</summary>
    public static Reading Read(ReadOnlySequence<byte> body)
    {
        if (body.Length >= 3 && StartsWithBom(body)) body = body.Slice(3);
        if (body.IsEmpty || !IsValidUtf8(body)) return Reading.None;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read()) return Reading.None;
            if (reader.TokenType != JsonTokenType.StartObject) return Reading.None;
            var accounts = new List<string>();
            string? ambiguity = null;
            var seen = new NameSets();
            var isEnvelope = false;
            seen.Enter(reader.CurrentDepth + 1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                Note(ref ambiguity, seen.Add(ref reader));
                var isEntry = reader.ValueTextEquals("entry"u8);
                reader.Read();
                if (isEntry && reader.TokenType == JsonTokenType.StartArray)
                {
                    isEnvelope = true;
                    Note(ref ambiguity, ReadEntries(ref reader, accounts, seen));
                }
                else Note(ref ambiguity, SkipChecked(ref reader, seen));
            }
            // The parser takes nothing from a body that is not one valid JSON document.
            if (reader.Read()) return Reading.None;
            return isEnvelope ? new Reading(accounts, ambiguity) : Reading.None;
        }
        catch (JsonException)
        {
            return Reading.None;
        }
        catch (InvalidOperationException)
        {
            // A name or id whose escapes make no valid UTF-16 (a lone surrogate): nothing to compare.
            return new Reading([], "a property name or id is not valid text");
        }
    }

    static string? ReadEntries(ref Utf8JsonReader reader, List<string> accounts, NameSets seen)
    {
        string? ambiguity = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                ambiguity ??= "an entry is not a JSON object";
                reader.Skip();
                continue;
            }
            string? id = null;
            seen.Enter(reader.CurrentDepth + 1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                Note(ref ambiguity, seen.Add(ref reader));
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (!isId) { Note(ref ambiguity, SkipChecked(ref reader, seen)); continue; }
                if (reader.TokenType == JsonTokenType.String) id = reader.GetString();
                else
                {
                    ambiguity ??= $"an entry id is a {reader.TokenType.ToString().ToLowerInvariant()}, not a string";
                    reader.Skip();
                }
            }
            accounts.Add(id ?? "");
        }
        return ambiguity;
    }

    static bool StartsWithBom(in ReadOnlySequence<byte> body)
    {
        Span<byte> first = stackalloc byte[3];
        body.Slice(0, 3).CopyTo(first);
        return first.SequenceEqual("\uFEFF"u8);
    }

    static bool IsValidUtf8(in ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment) return System.Text.Unicode.Utf8.IsValid(body.FirstSpan);
        // A character may straddle two chunks: a decoder carries its first bytes over.
        var decoder = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        Span<char> scratch = stackalloc char[1024];
        try
        {
            foreach (var memory in body)
            {
                var bytes = memory.Span;
                while (!bytes.IsEmpty)
                {
                    decoder.Convert(bytes, scratch, flush: false, out var used, out _, out _);
                    bytes = bytes[used..];
                }
            }
            // Flushing with nothing left says whether the last character was complete.
            decoder.Convert(ReadOnlySpan<byte>.Empty, scratch, flush: true, out _, out _, out _);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    // Not `ambiguity ??= Read…()`: that would skip the read (and leave the reader behind) once an ambiguity is known.
    static void Note(ref string? ambiguity, string? found) => ambiguity ??= found;

    /// <summary>Skips the value under the reader, checking every object inside for repeated names.</summary>
    static string? SkipChecked(ref Utf8JsonReader reader, NameSets seen)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return null;
        string? ambiguity = null;
        var start = reader.CurrentDepth;
        if (reader.TokenType == JsonTokenType.StartObject) seen.Enter(start + 1);
        while (reader.Read() && reader.CurrentDepth > start)
        {
            if (reader.TokenType == JsonTokenType.PropertyName) Note(ref ambiguity, seen.Add(ref reader));
            else if (reader.TokenType == JsonTokenType.StartObject) seen.Enter(reader.CurrentDepth + 1);
        }
        return ambiguity;
    }

    /// <summary>The property names of the object open at each depth (the depth of its names), one reused set per depth.</summary>
    sealed class NameSets
    {
        readonly HashSet<string>?[] _byDepth = new HashSet<string>?[MaxDepth + 2];

        public void Enter(int depth) => (_byDepth[depth] ??= new HashSet<string>(StringComparer.Ordinal)).Clear();

        public string? Add(ref Utf8JsonReader reader)
        {
            // GetString unescapes, so "entry" and "\u0065ntry" are the same name, as for the parser.
            var name = reader.GetString()!;
            return _byDepth[reader.CurrentDepth]!.Add(name) ? null : $"the property \"{Shorten(name)}\" appears twice in one object";
        }

        static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
    }
}
