using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Reliability;

// The REST API: query strings and bodies of the wrong type are 400 problem details naming the
// field, unknown ids 404, a missing or wrong key 401.
static partial class BadInput
{
    static IEnumerable<Case> ApiCases(Context ctx)
    {
        Case Bad(string path, string field) => new("api", $"GET {Short(path, 90)}", $"400 problem details naming {field}", async () =>
        {
            using var response = await ctx.Api.Client.GetAsync(path);
            ctx.Saw((int)response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != 400) return $"got {(int)response.StatusCode}: {Short(text)}";
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"400 but content type {response.Content.Headers.ContentType}";
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _)
                ? null
                : $"400 but the problem does not name {field}: {Short(text)}";
        });
        Case Status(string method, string path, string? body, params int[] expected) => new("api", $"{method} {Short(path, 70)}{(body is null ? "" : " " + Short(body, 40))}",
            string.Join(" or ", expected), async () =>
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await ctx.Api.Client.SendAsync(request);
                ctx.Saw((int)response.StatusCode);
                return expected.Contains((int)response.StatusCode) ? null : $"got {(int)response.StatusCode}: {Short(await response.Content.ReadAsStringAsync())}";
            });

        const string events = "/api/webhooks/events";
        yield return Bad($"{events}?limit=abc", "limit");
        yield return Bad($"{events}?limit=0", "limit");
        yield return Bad($"{events}?limit=501", "limit");
        yield return Bad($"{events}?limit=-1", "limit");
        yield return Bad($"{events}?limit=1.5", "limit");
        yield return Bad($"{events}?limit=99999999999999999999999", "limit");
        yield return Bad($"{events}?status=bogus", "status");
        yield return Bad($"{events}?status=1", "status");
        yield return Bad($"{events}?from=notadate", "from");
        yield return Bad($"{events}?to=yesterday", "to");
        yield return Bad($"{events}?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to");
        yield return Bad($"{events}?cursor=xyz", "cursor");
        yield return Bad($"{events}?cursor={new string('Z', 27)}", "cursor");
        yield return Bad($"{events}?eventType=Bad-Type!", "eventType");
        yield return Bad($"{events}?q={new string('q', 300)}", "q");
        yield return Bad($"{events}?accountId={new string('1', 200)}", "accountId");
        yield return Bad("/api/conversations?limit=abc", "limit");
        yield return Bad("/api/comments?limit=-5", "limit");
        yield return Status("GET", $"{events}?limit=1&limit=2", null, 400, 200);
        yield return Status("GET", $"{events}/not-an-id", null, 404);
        yield return Status("GET", $"{events}/{new string('x', 2000)}", null, 404);
        yield return Status("GET", $"{events}/%00%FF", null, 404, 400);
        yield return Status("GET", $"{events}/not-an-id/attempts", null, 404);
        yield return Status("GET", "/api/webhooks/deliveries/%FF%FE/body", null, 404, 400);
        yield return Status("POST", $"{events}/not-an-id/retry", null, 404);
        yield return Status("POST", $"{events}/retry", "not json", 400);
        yield return Status("POST", $"{events}/retry", "{\"status\":\"bogus\"}", 400);
        yield return Status("POST", $"{events}/retry", "{\"from\":123}", 400);
        yield return Status("POST", $"{events}/retry", "[]", 400);
        yield return Status("POST", "/api/webhooks/instagram/test", "[", 400);
        yield return Status("POST", "/api/webhooks/instagram/test", "{\"eventType\":5}", 400);
        yield return Status("POST", "/api/webhooks/instagram/test", "{\"eventType\":\"messages\",\"accountId\":{},\"content\":[]}", 400);
        yield return Status("POST", "/api/webhooks/subscriptions", "{\"instagramAccountId\":123,\"subscribedFields\":\"x\"}", 400);
        yield return Status("POST", "/api/webhooks/subscriptions", "{\"instagramAccountId\":\"1\",\"subscribedFields\":[\"messages\"],\"processingConfig\":{\"batchSize\":\"many\"}}", 400);
        yield return Status("PUT", "/api/webhooks/subscriptions/nope", "{", 400, 404);
        yield return Status("POST", "/api/keys", "{\"name\":5,\"role\":\"god\"}", 400);
        yield return Status("POST", "/api/users", "{\"username\":[],\"password\":1}", 400);
        yield return new("api", "GET verification with a 5,000-character challenge", "403", async () =>
        {
            using var response = await ctx.Http.GetAsync($"/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token=x&hub.challenge={new string('c', 5000)}");
            ctx.Saw((int)response.StatusCode);
            return (int)response.StatusCode == 403 ? null : $"got {(int)response.StatusCode}";
        });
        yield return new("api", "API without a key / with a wrong key", "401", async () =>
        {
            using var anonymous = await ctx.Http.GetAsync($"{events}?limit=abc");
            using var wrong = new HttpRequestMessage(HttpMethod.Get, events);
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ick_wrong");
            using var wrongResponse = await ctx.Http.SendAsync(wrong);
            ctx.Saw((int)anonymous.StatusCode);
            ctx.Saw((int)wrongResponse.StatusCode);
            return (int)anonymous.StatusCode == 401 && (int)wrongResponse.StatusCode == 401 ? null : $"got {(int)anonymous.StatusCode} and {(int)wrongResponse.StatusCode}";
        });
    }
}
