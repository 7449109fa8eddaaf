using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace InstantChat.Core.Parsing;

/// <summary>
/// A hash of an update that survives re-serialization: object keys sorted, whitespace dropped,
/// strings re-escaped the same way. Meta's retries may regroup updates into other batches.
/// </summary>
static class CanonicalJson
{
    public static string Hash(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
                Write(writer, element);
        }
        catch (InvalidOperationException)
        {
            // Escapes that decode to no valid string (a lone surrogate): the raw text is the best identity left.
            return Hash(System.Text.Encoding.UTF8.GetBytes(element.GetRawText()));
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan).AsSpan(0, 16));
    }

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));

    static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) Write(w, item);
                w.WriteEndArray();
                break;
            case JsonValueKind.String:
                w.WriteStringValue(e.GetString());
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}
