using System.Text.Json.Nodes;

namespace InstantChat.Tests.Parsing;

/// <summary>The Meta webhook bodies under Fixtures/Instagram/ (copied next to the test assembly).</summary>
static class Fixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Instagram");

    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal);

    /// <summary>The fixture exactly as stored, as the bytes of a delivery body.</summary>
    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".json"));

    public static JsonNode Json(string name) => JsonNode.Parse(Load(name))!;

    /// <summary>One update of the fixture: <c>entry[entry][array][index]</c> (a messaging item or a whole change).</summary>
    public static JsonNode Update(string name, int entry, string array, int index) => Json(name)["entry"]![entry]![array]![index]!;
}
