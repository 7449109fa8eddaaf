using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace InstantChat.Tests.Security;

/// <summary>User-controlled text cannot forge log lines: control characters are escaped in every logged value.</summary>
public sealed partial class LogEscapingTests
{
    [Theory]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("nul\0esc\u001b[31m", @"nul\u0000esc\u001B[31m")]
    [InlineData("del\u007f nel\u0085 c1\u009b", @"del\u007F nel\u0085 c1\u009B")]
    [InlineData("ls\u2028ps\u2029", @"ls\u2028ps\u2029")]
    [InlineData("bidi\u202egnp.exe\u2066", @"bidi\u202Egnp.exe\u2066")]
    public void Escape_ControlCharacters_AreWrittenVisibly(string text, string expected) => Assert.Equal(expected, LogText.Escape(text));

    [Theory]
    [InlineData("plain ascii, \"quotes\" and a \\ backslash")]
    [InlineData("émoji 👋🏽 and ünïcödé, zero\u200Dwidth joiner")]
    [InlineData("")]
    public void Escape_NothingToEscape_ReturnsTheSameString(string text) => Assert.Same(text, LogText.Escape(text));

    [Fact]
    public void Enrich_StringsAtAnyDepth_AreEscaped()
    {
        var evt = Capture(log => log.Information("{User} {@Body} {Items} {Map} {Letter} {Uri}",
            "mallory\nAudit: admin signed in", new { Name = "x\ry", Inner = new { Deep = "d\u2028" } }, new[] { "ok", "p\u0085q" },
            new Dictionary<string, string> { ["k\n"] = "v\t" }, '\n', new Uri("http://h/a b")));

        new EscapeControlCharacters().Enrich(evt, null!);

        var rendered = evt.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotMatch(ControlCharacters(), rendered);
        Assert.Contains(@"mallory\nAudit: admin signed in", rendered);
        Assert.Contains(@"x\ry", rendered);
        Assert.Contains(@"d\u2028", rendered);
        Assert.Contains(@"p\u0085q", rendered);
        Assert.Contains(@"k\n", rendered);
        Assert.Contains(@"v\t", rendered);
    }

    [Fact]
    public void Enrich_NothingToEscape_KeepsTheValuesAndAllocatesNothing()
    {
        var evt = TypicalWebhookEvent();
        var before = evt.Properties.ToDictionary();
        var enricher = new EscapeControlCharacters();
        for (var i = 0; i < 1_000; i++) enricher.Enrich(evt, null!); // JIT warm-up

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) enricher.Enrich(evt, null!);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(0, allocated);
        Assert.All(before, p => Assert.Same(p.Value, evt.Properties[p.Key]));
    }

    [Fact]
    public async Task SignIn_UsernameWithLineBreaks_LogsOneLineWithThemEscaped()
    {
        using var dir = new TempDir();
        await using var web = WebProcess.Start(new Dictionary<string, string> { ["DATA_DIR"] = dir.Path, ["WEBHOOK_WORKER_ENABLED"] = "false" });
        await web.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = web.BaseAddress };
        var token = TokenPattern().Match(await browser.GetStringAsync("/login")).Groups[1].Value;

        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["username"] = "mallory\r[00:00:00 INF] x\n[12:00:00 INF] Audit: admin signed in from 10.0.0.1",
            ["password"] = "wrong password",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await Eventually.WaitAsync(() => Task.FromResult(web.StandardOutput), output => output.Contains("mallory"), TimeSpan.FromSeconds(10));
        var lines = web.StandardOutput.Split('\n');
        var line = Assert.Single(lines, l => l.Contains("mallory"));
        Assert.Contains(@"mallory\r[00:00:00 inf] x\n[12:00:00 inf] audit: admin signed in from 10.0.0.1", line);
        Assert.DoesNotContain(lines, l => l.Contains("admin signed in") && l != line);
    }

    static LogEvent TypicalWebhookEvent() => Capture(log => log
        .ForContext("SourceContext", "InstantChat.Web.Endpoints.WebhookEndpoints")
        .ForContext("RequestId", "0HN7S3J1B6M4C:00000001").ForContext("RequestPath", "/api/webhooks/instagram")
        .ForContext("ConnectionId", "0HN7S3J1B6M4C")
        .Warning("Delivery refused: signature {Outcome} ({Bytes} bytes) {DeliveryId}", HttpStatusCode.Unauthorized, 1234, "01KABCDEFGHJKMNPQRSTVWXYZ0"));

    static LogEvent Capture(Action<ILogger> write)
    {
        var sink = new LastEvent();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()) write(logger);
        return sink.Event!;
    }

    sealed class LastEvent : ILogEventSink
    {
        public LogEvent? Event { get; private set; }
        public void Emit(LogEvent logEvent) => Event = logEvent;
    }

    [GeneratedRegex(@"[\u0000-\u001F\u007F-\u009F\u2028\u2029]")]
    private static partial Regex ControlCharacters();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
