using System.Security.Cryptography;

namespace InstantChat.Core.EventModel;

/// <summary>
/// ULIDs: 48-bit milliseconds then 80 random bits, Crockford base32. They sort by time, so the
/// event id alone is the keyset cursor and a receivedAt range is an id range.
/// </summary>
public static class EventIds
{
    const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 26;
    static readonly Lock Gate = new();
    static long _lastMs = -1;
    static readonly byte[] LastRandom = new byte[10];

    public static string New(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = at.ToUnixTimeMilliseconds();
        lock (Gate)
        {
            // Monotonic within one millisecond of one process: the random part is incremented.
            // An earlier instant (a clock step back, a back-dated event) gets fresh randomness and
            // sorts by its own time; state only follows the newest millisecond.
            if (ms == _lastMs)
            {
                Increment(LastRandom);
                LastRandom.CopyTo(bytes[6..]);
            }
            else if (ms > _lastMs)
            {
                _lastMs = ms;
                RandomNumberGenerator.Fill(LastRandom);
                LastRandom.CopyTo(bytes[6..]);
            }
            else
            {
                RandomNumberGenerator.Fill(bytes[6..]);
            }
        }
        WriteTime(bytes, ms);
        return Encode(bytes);
    }

    /// <summary>The smallest id at <paramref name="at"/>: ids &gt;= it were created at or after that instant.</summary>
    public static string MinFor(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteTime(bytes, Math.Max(0, at.ToUnixTimeMilliseconds()));
        return Encode(bytes);
    }

    public static bool IsValid(string? value) =>
        value is { Length: Length } && value[0] <= '7' && value.All(c => Alphabet.Contains(c));

    static void WriteTime(Span<byte> bytes, long ms)
    {
        for (var i = 5; i >= 0; i--) { bytes[i] = (byte)ms; ms >>= 8; }
    }

    static void Increment(byte[] random)
    {
        for (var i = random.Length - 1; i >= 0; i--)
            if (++random[i] != 0) return;
    }

    /// <summary>
    /// Ids for the updates of one delivery: one instant, random bits drawn once and then counted up,
    /// so Meta's order within the delivery is the id order whatever other deliveries do meanwhile.
    /// </summary>
    public sealed class Sequence
    {
        readonly byte[] _bytes = new byte[16];

        public Sequence(DateTimeOffset at)
        {
            WriteTime(_bytes, Math.Max(0, at.ToUnixTimeMilliseconds()));
            RandomNumberGenerator.Fill(_bytes.AsSpan(6));
            _bytes[6] &= 0x3F; // headroom: 2^78 increments before the time part could change
        }

        public string Next()
        {
            for (var i = 15; i >= 6; i--)
                if (++_bytes[i] != 0) break;
            return Encode(_bytes);
        }
    }

    static string Encode(ReadOnlySpan<byte> b) => string.Create(Length, b.ToArray(), static (chars, bytes) =>
    {
        // 128 bits as 26 base32 digits, most significant first (the top digit holds 3 bits).
        var hi = (UInt128)0;
        foreach (var x in bytes) hi = (hi << 8) | x;
        for (var i = Length - 1; i >= 0; i--) { chars[i] = Alphabet[(int)(hi & 31)]; hi >>= 5; }
    });
}
