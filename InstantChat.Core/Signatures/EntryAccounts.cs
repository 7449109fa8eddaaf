using System.Text.Json;

namespace InstantChat.Core.Signatures;

/// <summary>The account ids of a delivery's entries, read without building a document; null when the body has none to read.</summary>
static class EntryAccounts
{
    public static List<string>? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("entry"u8)) { reader.Read(); reader.Skip(); continue; }
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
                var accounts = new List<string>();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    string? id = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isId = reader.ValueTextEquals("id"u8);
                        reader.Read();
                        if (isId && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                            id = reader.TokenType == JsonTokenType.String ? reader.GetString() : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                        else reader.Skip();
                    }
                    // An entry without an id belongs to no account: no subscription secret can vouch for it.
                    accounts.Add(id ?? "");
                }
                return accounts.Count > 0 ? accounts : null;
            }
            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
