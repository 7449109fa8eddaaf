using System.Text;

namespace InstantChat.Core.Simulation;

/// <summary>
/// Fresh ids shaped like Meta's. One counter makes them unique within a run; it starts at the
/// clock's microseconds, so a restarted simulator counts on above the last run instead of repeating
/// its ids (a repeat would be deduplicated, and the demo would quietly store nothing).
/// </summary>
sealed class SimulatedIds(long start)
{
    const long FifteenDigits = 1_000_000_000_000_000;
    long _next = start;

    long Next() => _next++;

    /// <summary>A message id as in the fixtures: base64 of the item's path (account, thread, item), unpadded.</summary>
    public string Mid(string accountId, string threadId) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"ig_item:1:IGMessageThreadItem:{accountId}:{threadId}:3122938919496646412{Next()}")).TrimEnd('=');

    /// <summary>17 digits, like Instagram's comment ids.</summary>
    public string CommentId() => $"17{Next() % FifteenDigits:D15}";

    /// <summary>17 digits, like Instagram's media ids.</summary>
    public string MediaId() => $"18{Next() % FifteenDigits:D15}";

    /// <summary>A lookaside CDN link, the shape Meta gives attachments and story replies.</summary>
    public string CdnUrl(Random random) =>
        $"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={Next()}&signature={random.Token(22)}";
}

/// <summary>Weighted and uniform picks; every choice goes through the one seeded Random, so a seed replays a run.</summary>
static class RandomPicks
{
    const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>An index into <paramref name="weights"/>, each chosen in proportion to its weight.</summary>
    public static int Weighted(this Random random, IReadOnlyList<int> weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < weights.Count; i++)
        {
            if (roll < weights[i]) return i;
            roll -= weights[i];
        }
        return weights.Count - 1;
    }

    public static string Token(this Random random, int length) =>
        string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = TokenAlphabet[r.Next(TokenAlphabet.Length)]; });
}
