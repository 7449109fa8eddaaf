using System.Net;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Tests.Ingest;
using Reliability.Common;

namespace Reliability;

static partial class Attacks
{
    const string A1 = "17841400000000101", A2 = "17841400000000102", B = "17841400000000201", C = "17841400000000301";
    const string SecretA = "app-a-secret-0123456789", SecretB = "app-b-secret-0123456789";

    /// <summary>
    /// Item 1: app A's secret signs generated bodies that mix A's accounts with B's and an
    /// unsubscribed one in every ambiguous way; no event outside A's accounts may be stored.
    /// </summary>
    static async Task<int> ForgeryAsync(Args a)
    {
        var count = a.Int("forgeries", 2_000);
        await using var product = await StartAsync(a, "forgery");
        using var api = new Api(product.BaseAddress);
        foreach (var (account, secret) in new[] { (A1, SecretA), (A2, SecretA), (B, SecretB) })
        {
            var created = await api.Client.PostAsJsonAsync("/api/webhooks/subscriptions",
                new { instagramAccountId = account, subscribedFields = new[] { "messages", "comments" }, webhookConfig = new { secret } });
            if (created.StatusCode != HttpStatusCode.Created) return Log.Verdict("forgery", false, $"creating the subscription of {account}: {(int)created.StatusCode}");
        }

        using var http = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var answers = new Tally();
        var random = new Random(a.Int("seed", 14));
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes(ForgeryBodies.Generate(random, i, own: [A1, A2], foreign: [B, C]));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/instagram") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = MetaSender.Json;
            request.Headers.Add("X-Hub-Signature-256", Signing.Header(body, SecretA));
            using var response = await http.SendAsync(request);
            answers.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var events = await api.AllEventsAsync();
        var outside = events.Where(e => e.AccountId is not null && e.AccountId is not (A1 or A2)).ToList();
        var details = $"bodies={count} answers={answers} events={events.Count} outside_A={outside.Count}" +
                      (outside.Count > 0 ? $" e.g. {outside[0].AccountId} {outside[0].EventType}" : "") +
                      $" 5xx={answers.FiveHundreds} product_errors={product.ErrorLines}";
        var pass = outside.Count == 0 && answers.FiveHundreds == 0 && answers["200"] > 0 && answers["401"] > 0 && product.ErrorLines == 0;
        return Log.Verdict("forgery", pass, details);
    }
}
