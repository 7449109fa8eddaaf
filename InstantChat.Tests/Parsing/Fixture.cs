using System.Text.Json.Nodes;

namespace InstantChat.Tests.Parsing;

/// <summary>The Meta webhook bodies under Fixtures/{Instagram,Messenger,WhatsApp}/ (copied next to the test assembly).</summary>
static class Fixture
{
    public const string Instagram = "Instagram";
    public const string Messenger = "Messenger";
    public const string WhatsApp = "WhatsApp";

    public static string Directory => DirectoryOf(Instagram);

    public static string DirectoryOf(string platform) => Path.Combine(AppContext.BaseDirectory, "Fixtures", platform);

    public static IEnumerable<string> Names => NamesOf(Instagram);

    public static IEnumerable<string> NamesOf(string platform) =>
        System.IO.Directory.EnumerateFiles(DirectoryOf(platform), "*.json").Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal);

    /// <summary>The fixture exactly as stored, as the bytes of a delivery body.</summary>
    public static byte[] Load(string name) => Load(Instagram, name);

    public static byte[] Load(string platform, string name) => File.ReadAllBytes(Path.Combine(DirectoryOf(platform), name + ".json"));

    public static JsonNode Json(string name) => Json(Instagram, name);

    public static JsonNode Json(string platform, string name) => JsonNode.Parse(Load(platform, name))!;

    /// <summary>One update of the fixture: <c>entry[entry][array][index]</c> (a messaging item or a whole change).</summary>
    public static JsonNode Update(string name, int entry, string array, int index) => Update(Instagram, name, entry, array, index);

    public static JsonNode Update(string platform, string name, int entry, string array, int index) => Json(platform, name)["entry"]![entry]![array]![index]!;
}
