using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace InstantChat.Web.Components.Shared;

/// <summary>
/// JSON as a person reads it: indented like <c>WriteIndented</c> output (its text is exactly that, so
/// copying the selection works), keys, strings, numbers and literals in their own colours, and every
/// object or array folds (the top two levels start open). Text that is not JSON shows as it is.
/// </summary>
public sealed class JsonView : ComponentBase
{
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    const int OpenLevels = 2;

    [Parameter, EditorRequired] public string? Json { get; set; }
    [Parameter] public string? TestId { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "json-block json-view mb-3");
        builder.AddAttribute(2, "data-testid", TestId);
        if (Json is null) builder.AddContent(3, "(none)");
        else if (TryParse(Json) is { } doc)
            using (doc)
                Node(builder, doc.RootElement, "", null, "", 0);
        else builder.AddContent(4, Json);
        builder.CloseElement();
    }

    static JsonDocument? TryParse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }

    static void Node(RenderTreeBuilder b, JsonElement e, string indent, string? key, string comma, int depth)
    {
        if (e.ValueKind is JsonValueKind.Object or JsonValueKind.Array && (e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Any() : e.GetArrayLength() > 0))
        {
            var (open, close) = e.ValueKind == JsonValueKind.Object ? ("{", "}") : ("[", "]");
            b.OpenElement(10, "details");
            if (depth < OpenLevels) b.AddAttribute(11, "open", true);
            b.OpenElement(12, "summary");
            Key(b, key, indent);
            b.AddContent(13, open);
            b.OpenElement(14, "span");
            b.AddAttribute(15, "class", "json-folded");
            b.AddContent(16, $" … {close}{comma}");
            b.CloseElement();
            // The line's end inside the summary: the browser starts the open content on a line of its own.
            b.AddContent(17, "\n");
            b.CloseElement();
            var children = e.ValueKind == JsonValueKind.Object
                ? e.EnumerateObject().Select(p => ((string?)p.Name, p.Value)).ToList()
                : e.EnumerateArray().Select(v => ((string?)null, v)).ToList();
            for (var i = 0; i < children.Count; i++)
                Node(b, children[i].Item2, indent + "  ", children[i].Item1, i < children.Count - 1 ? "," : "", depth + 1);
            b.AddContent(18, $"{indent}{close}{comma}\n");
            b.CloseElement();
            return;
        }
        Key(b, key, indent);
        b.OpenElement(20, "span");
        b.AddAttribute(21, "class", e.ValueKind switch
        {
            JsonValueKind.String => "json-string",
            JsonValueKind.Number => "json-number",
            JsonValueKind.Object or JsonValueKind.Array => "json-empty",
            _ => "json-literal",
        });
        b.AddContent(22, JsonSerializer.Serialize(e, Relaxed));
        b.CloseElement();
        b.AddContent(23, $"{comma}\n");
    }

    static void Key(RenderTreeBuilder b, string? key, string indent)
    {
        b.AddContent(30, indent);
        if (key is null) return;
        b.OpenElement(31, "span");
        b.AddAttribute(32, "class", "json-key");
        b.AddContent(33, JsonSerializer.Serialize(key, Relaxed));
        b.CloseElement();
        b.AddContent(34, ": ");
    }
}
