using System.Text.Json.Nodes;

namespace InstantChat.Core.Simulation;

/// <summary>One update of a delivery: which account's entry it goes in, under which array, and the item itself.</summary>
sealed record Update(string AccountId, string Array, JsonObject Item);

/// <summary>One customer's thread with one business, and what later updates in it may refer to.</summary>
sealed class ChatThread(Business business, Person person, string threadId)
{
    public Business Business => business;
    public Person Person => person;
    /// <summary>The thread part of this thread's mids, as in Meta's (base64) mids.</summary>
    public string ThreadId => threadId;
    /// <summary>The customer wrote last: the business owes a reply.</summary>
    public bool AwaitingReply { get; set; }
    /// <summary>The customer's messages that could still be deleted.</summary>
    public List<string> CustomerMids { get; } = [];
    /// <summary>The business's replies: what customers react to.</summary>
    public List<string> BusinessMids { get; } = [];
    /// <summary>Replies the customer has not read; a read receipt names the newest and clears them all.</summary>
    public List<string> UnreadMids { get; } = [];
    /// <summary>Replies the customer reacted to, for an occasional unreact.</summary>
    public List<string> ReactedMids { get; } = [];
}

/// <summary>
/// What the simulated inbox remembers, so that updates refer to each other as in a real one: a reply
/// answers a customer who is waiting, a reaction, read receipt or delete names an earlier mid.
/// It never hands out the same read receipt twice (mid + sender is its deduplication key).
/// </summary>
sealed class Inbox(Random random)
{
    /// <summary>Mids kept per list: enough for continuity, and bounded for a demo left running for days.</summary>
    const int Remembered = 8;

    readonly Dictionary<(int Business, int Person), ChatThread> _byPair = [];
    // A list beside the dictionary: picks by index are reproducible from the seed.
    readonly List<ChatThread> _threads = [];

    public Business AnyBusiness() => Cast.Businesses[random.Weighted(Cast.BusinessWeights)];

    public Person AnyPerson() => random.Pick(Cast.People);

    /// <summary>A thread for a customer who writes: usually one already talking, sometimes someone new.</summary>
    public ChatThread AnyThread()
    {
        if (_threads.Count > 0 && random.Chance(0.6)) return random.Pick(_threads);
        var key = (random.Weighted(Cast.BusinessWeights), random.Next(Cast.People.Count));
        if (_byPair.TryGetValue(key, out var thread)) return thread;
        thread = new ChatThread(Cast.Businesses[key.Item1], Cast.People[key.Item2], $"340282366841710300949128{key.Item1}{key.Item2:D5}");
        _byPair[key] = thread;
        _threads.Add(thread);
        return thread;
    }

    /// <summary>A random thread in the state an update needs, or null when none is (the caller writes a message instead).</summary>
    public ChatThread? Find(Func<ChatThread, bool> wanted)
    {
        var candidates = _threads.Where(wanted).ToList();
        return candidates.Count == 0 ? null : random.Pick(candidates);
    }

    public static void Remember(List<string> mids, string mid)
    {
        mids.Add(mid);
        if (mids.Count > Remembered) mids.RemoveAt(0);
    }
}
