using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Simulation;

/// <summary>
/// A realistic stream of Instagram deliveries for demos: three businesses and their customers, in
/// Meta's own shapes, with continuity (replies answer waiting customers; reactions, read receipts
/// and deletes name earlier mids). Every id is fresh, so nothing is deduplicated by accident.
/// The same seed and clock give the same bytes. Not thread-safe: one sender owns it.
/// </summary>
public sealed class TrafficGenerator
{
    enum Kind { CustomerMessage, BusinessReply, Attachment, Reaction, Read, Postback, Referral, Delete, Unsupported, Comment, LiveComment, Mention }

    // Messages most often (about 55 %, with the replies), deletes and unsupported messages rarely.
    static readonly (Kind Kind, int Weight)[] Mix =
    [
        (Kind.CustomerMessage, 30), (Kind.BusinessReply, 16), (Kind.Attachment, 7), (Kind.Reaction, 7), (Kind.Read, 8),
        (Kind.Postback, 5), (Kind.Referral, 4), (Kind.Delete, 1), (Kind.Unsupported, 1),
        (Kind.Comment, 11), (Kind.LiveComment, 6), (Kind.Mention, 4),
    ];
    static readonly int[] MixWeights = [.. Mix.Select(m => m.Weight)];

    /// <summary>Weights of 1…5 updates per delivery: mostly one or two, as Meta sends under light load.</summary>
    static readonly int[] UpdatesPerDelivery = [45, 25, 15, 9, 6];

    // Non-Latin text stays readable UTF-8 in the stored body; emoji are still \u-escaped, as Meta sends them.
    static readonly JavaScriptEncoder Escaping = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    readonly Random _random;
    readonly TimeProvider _clock;
    readonly MessagingUpdates _messaging;
    readonly ChangeUpdates _changes;
    readonly PlatformUpdates _platforms;
    long _lastTimestamp;
    int _turn;

    public TrafficGenerator(Random random, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(clock);
        _random = random;
        _clock = clock;
        var ids = new SimulatedIds(clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000 + random.Next(1_000));
        var inbox = new Inbox(random);
        _messaging = new MessagingUpdates(random, inbox, ids);
        _changes = new ChangeUpdates(random, inbox, ids);
        _platforms = new PlatformUpdates(random, ids);
    }

    /// <summary>Weights of Instagram, Messenger and WhatsApp deliveries in <see cref="NextAnyDelivery"/>.</summary>
    static readonly int[] PlatformWeights = [60, 20, 20];

    /// <summary>One delivery from any of Meta's three products: Instagram's as <see cref="NextDelivery"/>, or a Messenger or WhatsApp one of 1–3 updates.</summary>
    public byte[] NextAnyDelivery() => _random.Weighted(PlatformWeights) switch
    {
        0 => NextDelivery(),
        1 => SerializeAs("page", Repeat(_platforms.Messenger)),
        _ => SerializeAs("whatsapp_business_account", Repeat(_platforms.WhatsApp)),
    };

    /// <summary>
    /// One single-update delivery, taking the platforms in turn (Instagram, Messenger, WhatsApp): a
    /// customer's message on the first two, a message or a status on WhatsApp. The benchmark's mixed-platform traffic.
    /// </summary>
    public byte[] NextMessageOfEachPlatform() => NextMessageOf(Platforms.All[_turn++ % 3]);

    /// <summary>One single-update delivery of <paramref name="platform"/> (see <see cref="NextMessageOfEachPlatform"/>).</summary>
    public byte[] NextMessageOf(string platform) => platform switch
    {
        Platforms.Messenger => SerializeAs("page", [_platforms.Messenger(NextTimestamp())]),
        Platforms.WhatsApp => SerializeAs("whatsapp_business_account", [_platforms.WhatsApp(NextTimestamp())]),
        _ => NextMessage(),
    };

    List<Update> Repeat(Func<long, Update> next) => [.. Enumerable.Range(0, 1 + _random.Weighted(UpdatesPerDelivery[..3])).Select(_ => next(NextTimestamp()))];

    /// <summary>One delivery body (UTF-8 JSON, <c>object: instagram</c>) with 1–5 updates, in one or several entries.</summary>
    public byte[] NextDelivery()
    {
        var count = 1 + _random.Weighted(UpdatesPerDelivery);
        var updates = new List<Update>(count);
        for (var i = 0; i < count; i++) updates.Add(NextUpdate());
        return Serialize(updates);
    }

    /// <summary>One delivery with exactly one update: a customer's message (the benchmark's single-message traffic).</summary>
    public byte[] NextMessage() => Serialize([_messaging.CustomerMessage(NextTimestamp())]);

    Update NextUpdate()
    {
        var timestamp = NextTimestamp();
        var update = Mix[_random.Weighted(MixWeights)].Kind switch
        {
            Kind.BusinessReply => _messaging.BusinessReply(timestamp),
            Kind.Attachment => _messaging.CustomerAttachment(timestamp),
            Kind.Reaction => _messaging.Reaction(timestamp),
            Kind.Read => _messaging.Read(timestamp),
            Kind.Postback => _messaging.Postback(timestamp),
            Kind.Referral => _messaging.Referral(timestamp),
            Kind.Delete => _messaging.Delete(timestamp),
            Kind.Unsupported => _messaging.Unsupported(timestamp),
            Kind.Comment => _changes.Comment(),
            Kind.LiveComment => _changes.LiveComment(),
            Kind.Mention => _changes.Mention(),
            _ => null,
        };
        // Early on there is nothing to reply to, react to or read yet: someone writes instead.
        return update ?? _messaging.CustomerMessage(timestamp);
    }

    /// <summary>
    /// A moment shortly before now, strictly after the previous one: a thread reads in order, and no
    /// two reactions or referrals from one person share a millisecond (it is part of their dedup key).
    /// </summary>
    long NextTimestamp() =>
        _lastTimestamp = Math.Max(_clock.GetUtcNow().ToUnixTimeMilliseconds() - _random.Next(0, 1_500), _lastTimestamp + 1);

    byte[] Serialize(List<Update> updates) => SerializeAs("instagram", updates);

    byte[] SerializeAs(string @object, List<Update> updates) =>
        InstagramEnvelope.Serialize(updates.Select(u => (u.AccountId, u.Array, (JsonNode)u.Item)),
            Math.Max(_clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastTimestamp), Escaping, @object);
}
