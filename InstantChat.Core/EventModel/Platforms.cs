namespace InstantChat.Core.EventModel;

/// <summary>
/// The Meta products whose webhooks the product takes. They share the handshake, the signature and
/// the retry rules; only the envelope's <c>object</c> and its shapes differ.
/// </summary>
public static class Platforms
{
    public const string Instagram = "instagram";
    public const string Messenger = "messenger";
    public const string WhatsApp = "whatsapp";

    public static readonly IReadOnlyList<string> All = [Instagram, Messenger, WhatsApp];

    public static bool IsKnown(string? value) => value is Instagram or Messenger or WhatsApp;

    /// <summary>The platform of an envelope's <c>object</c>; none names Instagram (its dashboard tests omit it).</summary>
    public static string? FromObject(string? value) => value switch
    {
        null or "instagram" => Instagram,
        "page" => Messenger,
        "whatsapp_business_account" => WhatsApp,
        _ => null,
    };

    /// <summary>
    /// The webhook field an event arrived under, as an app subscribes to it in Meta's dashboard
    /// (and as a subscription's <c>subscribedFields</c> name it). Instagram's fields are its types.
    /// </summary>
    public static string FieldOf(string platform, string eventType, bool echo = false) => (platform, eventType) switch
    {
        (WhatsApp, EventTypes.MessageReactions or EventTypes.Statuses) => EventTypes.Messages,
        (Messenger, EventTypes.Messages) when echo => "message_echoes",
        (Messenger, EventTypes.MessagingSeen) => "message_reads",
        (Messenger, EventTypes.MessagingReferral) => "messaging_referrals",
        _ => eventType,
    };

    /// <summary>The fields a subscription of each platform may name (Meta's names for them).</summary>
    public static IReadOnlyList<string> Fields(string platform) => platform switch
    {
        Messenger => ["messages", "message_echoes", "message_deliveries", "message_reads", "messaging_postbacks",
            "message_reactions", "messaging_referrals", "feed"],
        WhatsApp => ["messages", "message_template_status_update", "account_update"],
        _ => EventTypes.Known,
    };
}
