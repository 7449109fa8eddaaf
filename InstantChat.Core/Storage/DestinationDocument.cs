using System.Text.Json;
using System.Text.Json.Serialization;
using InstantChat.Core.Outbound;
using InstantChat.Core.Subscriptions;

namespace InstantChat.Core.Storage;

/// <summary>
/// A destination as both stores keep it: one JSON document, its secrets sealed
/// (<see cref="SecretsAtRest"/>). A secret that cannot be opened reads as empty, and nothing is
/// sent unsigned: the sender holds such a destination's messages until it is saved again.
/// </summary>
public static class DestinationDocument
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(Destination d, SecretsAtRest secrets) =>
        JsonSerializer.Serialize(d with
        {
            Secrets = new DestinationSecrets(secrets.Seal(d.Secrets.Current)!, secrets.Seal(d.Secrets.Previous), d.Secrets.PreviousUntil),
        }, Options);

    public static Destination Read(string json, SecretsAtRest secrets)
    {
        var d = JsonSerializer.Deserialize<Destination>(json, Options) ?? throw new InvalidDataException("an empty destination document");
        return d with
        {
            Secrets = new DestinationSecrets(secrets.Open(d.Secrets.Current, d.DestinationId) ?? "", secrets.Open(d.Secrets.Previous, d.DestinationId), d.Secrets.PreviousUntil),
        };
    }
}
