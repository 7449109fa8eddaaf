using System.Text.Json;
using Bunit;
using InstantChat.Web.Components.Shared;

namespace InstantChat.Tests.Components.Shared;

public sealed class JsonViewTests : BunitContext
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Render_Json_TextIsExactlyTheIndentedJson()
    {
        const string json = """{"a":1,"b":{"c":[true,null,"x \"q\" é"],"d":{}},"e":[]}""";

        var cut = Render<JsonView>(p => p.Add(x => x.Json, json));

        using var doc = JsonDocument.Parse(json);
        foreach (var folded in cut.FindAll(".json-folded")) folded.Remove(); // shown only while folded
        Assert.Equal(JsonSerializer.Serialize(doc.RootElement, Indented) + "\n", cut.Find(".json-view").TextContent);
    }

    [Fact]
    public void Render_NestedObjects_TopTwoLevelsOpenDeeperFolded()
    {
        var cut = Render<JsonView>(p => p.Add(x => x.Json, """{"one":{"two":{"three":{"four":1}}}}"""));

        var details = cut.FindAll("details");
        Assert.Equal([true, true, false], details.Take(3).Select(d => d.HasAttribute("open")));
    }

    [Fact]
    public void Render_NotJson_ShowsTheTextAsItIs()
    {
        var cut = Render<JsonView>(p => p.Add(x => x.Json, "not json {"));

        Assert.Equal("not json {", cut.Find(".json-view").TextContent);
        Assert.Empty(cut.FindAll("details"));
    }
}
