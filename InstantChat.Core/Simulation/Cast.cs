namespace InstantChat.Core.Simulation;

sealed record Post(string Id, string ProductType);

/// <summary>An Instagram business account of the demo, with a few posts and one live video people comment on.</summary>
sealed record Business(string Id, string Username, IReadOnlyList<Post> Posts, string LiveVideoId);

/// <summary>A customer: an Instagram-scoped id (IGSID), a username and the language they write in.</summary>
sealed record Person(string Id, string Username, Language Language);

/// <summary>
/// Who appears in the simulated inbox. Fixed rather than random, so a restarted simulator continues
/// the same conversations, and the ids have Meta's lengths (17-digit accounts, 16-digit IGSIDs).
/// </summary>
static class Cast
{
    public static readonly IReadOnlyList<Business> Businesses =
    [
        new("17841400000000001", "lisbon.threads",
            [new("18012345678901234", "FEED"), new("18012345678901235", "REELS"), new("18012345678901236", "FEED")], "18098765432109876"),
        new("17841400000000002", "cafe.aurora",
            [new("18022334455667701", "FEED"), new("18022334455667702", "REELS")], "18098765432109877"),
        new("17841400000000003", "kyoto.ceramics",
            [new("18033445566778801", "FEED"), new("18033445566778802", "FEED"), new("18033445566778803", "REELS")], "18098765432109878"),
    ];

    /// <summary>The first account is the busiest, as in a real multi-brand inbox.</summary>
    public static readonly IReadOnlyList<int> BusinessWeights = [5, 3, 2];

    public static readonly IReadOnlyList<Person> People =
    [
        new("7133578946711339", "ana.lisboa", Phrases.Portuguese),
        new("6981234567890123", "joao_porto", Phrases.Portuguese),
        new("7240019385512207", "marta.sousa", Phrases.Portuguese),
        new("7211390048827733", "lucas.silva", Phrases.Portuguese),
        new("7156672038841197", "beatriz.ramos", Phrases.Portuguese),
        new("7358823104476621", "emily.rose_", Phrases.English),
        new("6894410276653348", "jake.builds", Phrases.English),
        new("7466129930184455", "noah_travels", Phrases.English),
        new("7034476615592847", "chloe.martin", Phrases.English),
        new("7325519873340612", "sam.okafor", Phrases.English),
        new("7093316647218850", "mei.chen", Phrases.English),
        new("6925573018846630", "sofia.moreno", Phrases.Spanish),
        new("7189934401227786", "diego_mx", Phrases.Spanish),
        new("6978852210364409", "valentina.r", Phrases.Spanish),
        new("7302281946630059", "yuki.tanaka", Phrases.Japanese),
        new("6957710384421963", "haruto_k", Phrases.Japanese),
        new("7400287715536098", "hana.sato", Phrases.Japanese),
        new("7415596320118874", "layla.ahmed", Phrases.Arabic),
        new("7076642259903381", "omar.khaled", Phrases.Arabic),
        new("7268830451179942", "anya.petrova", Phrases.Russian),
        new("6990017732264518", "dmitri_v", Phrases.Russian),
        new("7011238847700912", "priya.kapoor", Phrases.Hindi),
        new("7387705529410036", "rahul.mehta", Phrases.Hindi),
        new("7121148806637725", "minji.kim", Phrases.Korean),
        new("7449902173356180", "jiwoo_park", Phrases.Korean),
    ];

    /// <summary>Instagram's reactions: a name and the emoji the person picked.</summary>
    public static readonly IReadOnlyList<(string Reaction, string Emoji)> Reactions =
        [("love", "❤️"), ("love", "❤️"), ("like", "👍"), ("haha", "😂"), ("wow", "😮"), ("sad", "😢"), ("angry", "😡")];

    /// <summary>Buttons of the businesses' welcome and menu templates: title and payload.</summary>
    public static readonly IReadOnlyList<(string Title, string Payload)> Buttons =
    [
        ("Get started", "GET_STARTED"), ("Talk to a human", "HUMAN_AGENT"), ("Track my order", "TRACK_ORDER"),
        ("See the menu 🍽️", "MENU"), ("Book a table", "BOOK_TABLE"), ("Ver tamanhos", "SIZES"), ("配送について", "SHIPPING_INFO"),
    ];

    /// <summary>How people open a thread: an ad's call to action, or an ig.me link with a ref (bio, sticker, QR code).</summary>
    public static readonly IReadOnlyList<(string Ref, string Source)> Referrals =
    [
        ("autumn_sale", "ADS"), ("new_collection", "ADS"), ("bio_link", "IGME_LINK"), ("story_sticker", "IGME_LINK"),
        ("qr_code_shop", "IGME_LINK"), ("newsletter_2026", "IGME_LINK"),
    ];

    public static readonly IReadOnlyList<string> AdTitles = ["Autumn sale -30%", "New collection ✨", "Free shipping this week 🚚"];
}
