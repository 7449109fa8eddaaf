using System.Text;

namespace InstantChat.Core.Conversations;

/// <summary>An opaque keyset cursor over (last activity, conversation id).</summary>
public static class ConversationCursor
{
    public static string Encode(long at, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at}|{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out long at, out string id)
    {
        (at, id) = (0, "");
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 600) return false;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')));
            var bar = text.IndexOf('|');
            if (bar <= 0 || !long.TryParse(text[..bar], out at)) return false;
            id = text[(bar + 1)..];
            return id.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
