using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// A corpus of hostile requests against the real process. Each case names what it expects, from
/// the README's rules: a 401 for every signature variant but uppercase hex, 413 over the size
/// limit, 200 with a kept `failed` event of type `unknown` for a correctly signed body the parser
/// cannot read, 200 with ordinary events for odd but readable ones, 400 problem details naming the
/// field for API parameters of the wrong type. Never a 5xx; afterwards the server is still healthy.
/// </summary>
static partial class BadInput
{
    sealed record Case(string Group, string Name, string Expected, Func<Task<string?>> Run);

    sealed class Context(Product product, Api api, HttpClient http)
    {
        readonly string _run = RandomNumberGenerator.GetInt32(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        int _accounts;
        int _mids;
        public Product Product => product;
        public Api Api => api;
        public HttpClient Http => http;
        public List<int> Statuses { get; } = [];

        public string NewAccount() => $"1799{_run}{Interlocked.Increment(ref _accounts):D5}";
        public string NewMid() => $"bad-{_run}-{Interlocked.Increment(ref _mids)}";

        public void Saw(int status) { lock (Statuses) Statuses.Add(status); }
    }

    public static async Task<int> RunAsync(Args a)
    {
        var work = a.WorkDir("badinput");
        var slowConnections = a.Int("slow-connections", 40);
        // Header dribbles last until Kestrel's 30 s RequestHeadersTimeout: reliability/run --quick passes 0.
        var slowHeaders = a.Int("slow-headers", Math.Max(1, slowConnections / 4));
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), Product.Environment(Path.Combine(work, "data")));
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var api = new Api(product.BaseAddress);
        using var http = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var ctx = new Context(product, api, http);
        Log.Line($"badinput: product on {product.BaseAddress}, work dir {work}");

        var cases = new List<Case>();
        cases.AddRange(SignatureCases(ctx));
        cases.AddRange(SizeCases(ctx));
        cases.AddRange(JsonCases(ctx));
        cases.AddRange(PlatformCases(ctx));
        cases.AddRange(ContentTypeCases(ctx));
        cases.AddRange(FramingCases(ctx));
        cases.AddRange(ApiCases(ctx));
        cases.Add(new Case("slow", $"slow-loris: {slowConnections} bodies at 1 byte/s{(slowHeaders > 0 ? $" and {slowHeaders} header dribbles" : "")}, while normal deliveries go on",
            "normal deliveries 200 in < 2 s; the server cuts slow bodies (MinRequestBodyDataRate, 240 B/s after 5 s)" + (slowHeaders > 0 ? " and slow headers (30 s)" : ""),
            () => SlowLorisAsync(ctx, slowConnections, slowHeaders)));

        var failures = new List<string>();
        foreach (var c in cases)
        {
            var sw = Stopwatch.StartNew();
            string? problem;
            try
            {
                problem = await c.Run();
            }
            catch (Exception ex)
            {
                problem = $"harness exception {ex.GetType().Name}: {ex.Message}";
            }
            var line = string.Create(CultureInfo.InvariantCulture, $"[{c.Group}] {c.Name} → expected {c.Expected}: {(problem is null ? "ok" : "FAILED: " + problem)} ({sw.Elapsed.TotalSeconds:0.0} s)");
            Log.Line(line);
            if (problem is not null) failures.Add($"{c.Group}/{c.Name}: {problem}");
            if (!product.Alive) { failures.Add($"the product died after {c.Name}"); break; }
        }

        // After the corpus: alive, healthy, still taking deliveries.
        string health;
        try
        {
            using var r = await http.GetAsync("/healthz");
            health = ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { health = "unreachable"; }
        var finalDelivery = await ExpectNormalAsync(ctx, "after the corpus", ctx.NewAccount());
        if (health != "200") failures.Add($"/healthz answered {health} after the corpus");
        if (finalDelivery is not null) failures.Add($"a normal delivery after the corpus: {finalDelivery}");
        int[] statuses;
        lock (ctx.Statuses) statuses = [.. ctx.Statuses];
        // The list API used by the checks counts too: a stored event must not break reading it back.
        var fiveXx = statuses.Count(s => s >= 500) + (int)api.Answers.Count(c => c.StartsWith('5'));
        if (fiveXx > 0) failures.Add($"{fiveXx} answers were 5xx");
        var errors = product.ErrorLines;
        if (errors > 0) failures.Add($"{errors} error-level lines in the product log, e.g. {product.FirstErrors[0]}");
        var alive = product.Alive;
        if (!alive) failures.Add("the product is not running");
        foreach (var f in failures) Log.Line($"  FAIL: {f}");

        Log.Line($"list API answers during the checks: {api.Answers}");
        var byStatus = string.Join(' ', statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"));
        return Log.Verdict("badinput", failures.Count == 0, string.Create(CultureInfo.InvariantCulture,
            $"cases={cases.Count} failed_cases={failures.Count} answers=[{byStatus}] http5xx={fiveXx} healthz={health} alive={alive} " +
            $"error_log_lines={errors} rss_mb={product.RssKb() / 1024}"));
    }
}
