using System.Globalization;
using System.Text;

namespace InstantChat.Web.Auth;

/// <summary>
/// Where to go after signing in: a path on this site, or <c>/</c>. Anything a browser could read as
/// another host (<c>//evil</c>, <c>/\evil</c>, a tab or newline that browsers strip, an absolute
/// URL) or that is not a path falls back to <c>/</c>, never an error. Other non-ASCII characters
/// are percent-encoded, since a Location header carries ASCII only.
/// </summary>
public static class ReturnUrls
{
    public static string LocalOrRoot(string? url) =>
        url is { Length: > 0 and <= 2048 } u && u[0] == '/' && (u.Length == 1 || u[1] is not ('/' or '\\'))
        && !u.Any(c => char.IsControl(c) || c == '\\')
            ? EscapeNonAscii(u)
            : "/";

    static string EscapeNonAscii(string path)
    {
        if (path.All(c => c is > ' ' and < '\x7f')) return path;
        var escaped = new StringBuilder(path.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7f) { escaped.Append((char)rune.Value); continue; }
            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)]) escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return escaped.ToString();
    }
}
