using System.Net.Http.Json;
using System.Text.Json;

namespace InstantChat.Tests.TestSupport;

public static class ApiJson
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static async Task<List<JsonElement>> EventsAsync(this HttpClient client, string query = "") =>
        (await client.GetJsonAsync($"/api/webhooks/events?limit=500&{query}")).GetProperty("items").EnumerateArray().ToList();

    /// <summary>Every event, page after page.</summary>
    public static async Task<List<JsonElement>> AllEventsAsync(this HttpClient client)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"/api/webhooks/events?limit=500{(cursor is null ? "" : "&cursor=" + cursor)}");
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return all;
    }
}
