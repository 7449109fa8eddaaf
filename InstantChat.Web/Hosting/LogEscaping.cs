using System.Buffers;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace InstantChat.Web.Hosting;

/// <summary>
/// Usernames, ids, headers and paths reach the log as property values; one with a line break
/// could write a fake audit line. Every property value of every event (strings inside sequences,
/// structures and dictionaries too; LoggerMessage calls and framework logs alike) has its control
/// characters escaped before any sink sees it. Runs on the webhook's hot path: an event with
/// nothing to escape allocates nothing.
/// </summary>
public sealed class EscapeControlCharacters : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        // The concrete dictionary enumerates without boxing an enumerator.
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            foreach (var (name, value) in properties)
                if (LogText.Escape(value) is var escaped && !ReferenceEquals(escaped, value)) (changed ??= []).Add(new(name, escaped));
        }
        else
        {
            foreach (var (name, value) in logEvent.Properties)
                if (LogText.Escape(value) is var escaped && !ReferenceEquals(escaped, value)) (changed ??= []).Add(new(name, escaped));
        }
        if (changed is null) return;
        foreach (var property in changed) logEvent.AddOrUpdateProperty(property);
    }
}

public static class LogText
{
    /// <summary>C0, DEL, C1, the Unicode line and paragraph separators, and the bidi controls that reorder what a terminal shows.</summary>
    static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Range('\u0000', '\u001F'), .. Range('\u007F', '\u009F'), '\u061C', '\u200E', '\u200F', '\u2028', '\u2029',
         .. Range('\u202A', '\u202E'), .. Range('\u2066', '\u2069')]);

    static readonly SearchValues<char> PrintableAscii = SearchValues.Create([.. Range(' ', '~')]);

    static IEnumerable<char> Range(char first, char last) => Enumerable.Range(first, last - first + 1).Select(c => (char)c);

    /// <summary>The text with each unsafe character written as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>; the same instance when there is none.</summary>
    public static string Escape(string text)
    {
        // Printable ASCII (almost every value) is one vectorized pass.
        var first = text.AsSpan().IndexOfAnyExcept(PrintableAscii);
        if (first < 0 || (first = text.AsSpan().IndexOfAny(Unsafe)) < 0) return text;
        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            switch (c)
            {
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case var u when Unsafe.Contains(u): sb.Append(@"\u").Append(((int)u).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The value with its strings escaped, at any depth; the same instance when nothing changed.</summary>
    public static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => Escape(s) is var e && !ReferenceEquals(e, s) ? new ScalarValue(e) : value,
        ScalarValue { Value: char c } => Unsafe.Contains(c) ? new ScalarValue(Escape(c.ToString())) : value,
        // Numbers, dates, ids and enums format themselves (the common ones first: exact type checks
        // are cheaper than the interface check); anything else is rendered by its ToString later.
        ScalarValue { Value: null or int or long or bool or double or Enum or DateTimeOffset or DateTime or TimeSpan or Guid or IFormattable } => value,
        ScalarValue { Value: var other } => other.ToString() is { } text && Escape(text) is var e && !ReferenceEquals(e, text) ? new ScalarValue(e) : value,
        SequenceValue sequence => Escape(sequence.Elements) is { } elements ? new SequenceValue(elements) : value,
        StructureValue structure => EscapeStructure(structure),
        DictionaryValue dictionary => EscapeDictionary(dictionary),
        _ => value,
    };

    static LogEventPropertyValue[]? Escape(IReadOnlyList<LogEventPropertyValue> elements)
    {
        LogEventPropertyValue[]? copy = null;
        for (var i = 0; i < elements.Count; i++)
        {
            var escaped = Escape(elements[i]);
            if (copy is null && ReferenceEquals(escaped, elements[i])) continue;
            copy ??= [.. elements];
            copy[i] = escaped;
        }
        return copy;
    }

    static LogEventPropertyValue EscapeStructure(StructureValue structure)
    {
        LogEventProperty[]? copy = null;
        for (var i = 0; i < structure.Properties.Count; i++)
        {
            var property = structure.Properties[i];
            var escaped = Escape(property.Value);
            if (copy is null && ReferenceEquals(escaped, property.Value)) continue;
            copy ??= [.. structure.Properties];
            copy[i] = new LogEventProperty(property.Name, escaped);
        }
        return copy is null ? structure : new StructureValue(copy, structure.TypeTag is { } tag ? Escape(tag) : null);
    }

    static LogEventPropertyValue EscapeDictionary(DictionaryValue dictionary)
    {
        List<KeyValuePair<ScalarValue, LogEventPropertyValue>>? pairs = null;
        var index = 0;
        foreach (var (key, item) in dictionary.Elements)
        {
            var k = (ScalarValue)Escape(key);
            var v = Escape(item);
            if (pairs is null && (!ReferenceEquals(k, key) || !ReferenceEquals(v, item))) pairs = [.. dictionary.Elements.Take(index)];
            pairs?.Add(new(k, v));
            index++;
        }
        return pairs is null ? dictionary : new DictionaryValue(pairs);
    }
}
