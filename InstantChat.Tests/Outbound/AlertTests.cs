using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Outbound;

/// <summary>Alert rules evaluated against the real host: opened once, resolved when the condition clears, sent to the notify URL.</summary>
public sealed class AlertTests : ReceiverHost
{
    AlertEvaluator Evaluator => _app.Services.GetRequiredService<AlertEvaluator>();

    Task SaveRulesAsync(AlertRules rules) => _app.Services.GetRequiredService<IAlertStore>().SaveRulesAsync(rules, default);

    async Task ForgeAsync(int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message($"f{i}", "x")), "wrong-secret"))).StatusCode);
    }

    [Fact]
    public async Task SignatureFailures_OverTheThreshold_OpensOnceNotifiesAndResolvesWhenTheRuleRises()
    {
        await SaveRulesAsync(AlertRules.Defaults with { SignatureFailures = new(true, 3), NotifyUrl = _receiver.Url });
        await ForgeAsync(3);

        var first = await Evaluator.EvaluateAsync(default);
        var second = await Evaluator.EvaluateAsync(default);

        var opened = Assert.Single(first.Opened);
        Assert.Equal((AlertKinds.SignatureFailures, "3 deliveries refused for their signature"), (opened.Rule, opened.Title));
        Assert.Empty(second.Opened); // open already: not again
        var listed = (await _app.ApiClient().GetJsonAsync("/api/alerts")).GetProperty("items");
        Assert.Equal(opened.AlertId, listed[0].GetProperty("alertId").GetString());
        Assert.Contains("3 deliveries refused", JsonDocument.Parse(Assert.Single(_receiver.Requests).Body).RootElement.GetProperty("text").GetString());

        await SaveRulesAsync(AlertRules.Defaults with { SignatureFailures = new(true, 100), NotifyUrl = _receiver.Url });
        var resolved = Assert.Single((await Evaluator.EvaluateAsync(default)).Resolved);
        Assert.Equal(opened.AlertId, resolved.AlertId);
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Contains("resolved", JsonDocument.Parse(_receiver.Requests.Last().Body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task DestinationFailing_MostAttemptsFail_OpensForThatDestination()
    {
        _receiver.Answer = (_, _) => Task.FromResult<(int, Dictionary<string, string>?)>((500, null));
        var created = await (await _app.ApiClient().PostAsJsonAsync("/api/destinations", new { name = "crm", url = _receiver.Url })).JsonAsync();
        var id = created.GetProperty("destinationId").GetString()!;
        for (var i = 0; i < 6; i++) await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message($"m{i}", "hello"))));
        await Eventually.WaitAsync(() => Task.FromResult(_receiver.Requests.Count), n => n >= 6);
        await Eventually.WaitAsync(async () => (await _app.Services.GetRequiredService<IOutboundStore>().HealthAsync(DateTimeOffset.UtcNow.AddMinutes(-5), default)).GetValueOrDefault(id)?.Attempts ?? 0, n => n >= 6);

        var opened = (await Evaluator.EvaluateAsync(default)).Opened.Single(a => a.Rule == AlertKinds.DestinationFailing);

        Assert.Equal((id, "Destination crm is failing"), (opened.Key, opened.Title));
        Assert.Contains("100% of", opened.Detail);
    }

    [Theory]
    [InlineData("{\"destinationFailing\":{\"enabled\":true,\"threshold\":101},\"failedEvents\":{\"enabled\":true,\"threshold\":1},\"signatureFailures\":{\"enabled\":true,\"threshold\":1},\"accountSilent\":{\"enabled\":true,\"threshold\":60}}", "destinationFailing.threshold")]
    [InlineData("{\"destinationFailing\":{\"enabled\":true,\"threshold\":50},\"failedEvents\":{\"enabled\":true,\"threshold\":1},\"signatureFailures\":{\"enabled\":true,\"threshold\":1},\"accountSilent\":{\"enabled\":true,\"threshold\":60},\"notifyUrl\":\"ftp://x\"}", "notifyUrl")]
    public async Task Rules_Invalid_Returns400NamingTheField(string json, string field)
    {
        var response = await _app.ApiClient().PutAsync("/api/alerts/rules", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Rules_Saved_ReadBack()
    {
        var rules = AlertRules.Defaults with { FailedEvents = new(false, 25) };

        Assert.Equal(HttpStatusCode.OK, (await _app.ApiClient().PutAsJsonAsync("/api/alerts/rules", rules)).StatusCode);

        var back = await _app.ApiClient().GetJsonAsync("/api/alerts/rules");
        Assert.Equal((false, 25), (back.GetProperty("failedEvents").GetProperty("enabled").GetBoolean(), back.GetProperty("failedEvents").GetProperty("threshold").GetInt32()));
    }
}
