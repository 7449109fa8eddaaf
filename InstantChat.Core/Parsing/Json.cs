using System.Globalization;
using System.Text.Json;

namespace InstantChat.Core.Parsing;

/// <summary>Tolerant readers for Meta's JSON: ids and timestamps come as numbers or strings.</summary>
static class Json
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static JsonElement? Prop(this JsonElement? e, string name) => e is { } x ? x.Prop(name) : null;

    /// <summary>A string, or a number written as text (Meta's ids are strings but tests send numbers).</summary>
    public static string? Str(this JsonElement? e) => e switch
    {
        { ValueKind: JsonValueKind.String } s => SafeString(s),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static string? Str(this JsonElement e, string name) => e.Prop(name).Str();

    /// <summary>The string, or null when its escapes make no valid UTF-16 (a lone surrogate, a cut emoji).</summary>
    static string? SafeString(JsonElement s)
    {
        try { return s.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    public static bool IsTrue(this JsonElement? e) => e is { ValueKind: JsonValueKind.True }
        || (e is { ValueKind: JsonValueKind.String } s && bool.TryParse(s.GetString(), out var b) && b);

    /// <summary>
    /// Unix time in seconds or milliseconds (numbers below 10^11 are seconds: 10^11 s is the year 5138),
    /// as a number, a numeric string or an ISO 8601 string.
    /// </summary>
    public static DateTimeOffset? Time(this JsonElement? e)
    {
        if (e is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var n)) return FromUnix(n);
        if (v.ValueKind != JsonValueKind.String) return null;
        var s = SafeString(v);
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out n)) return FromUnix(n);
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : null;
    }

    static DateTimeOffset? FromUnix(double n)
    {
        if (double.IsNaN(n) || n < 0) return null;
        var ms = n < 1e11 ? n * 1000 : n;
        return ms > 253402300799999 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
    }
}
