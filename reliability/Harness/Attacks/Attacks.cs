using System.Globalization;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// The attacks of issue #14 against the real process, each with its figure: forged cross-account
/// bodies (item 1), slow bodies that declare 16 MiB (item 3), text searches during ingest (item 5).
/// </summary>
static partial class Attacks
{
    public static async Task<int> RunAsync(Args a)
    {
        var parts = a.Str("parts", "forgery,slowbody,search").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var failed = 0;
        foreach (var part in parts)
        {
            failed += part switch
            {
                "forgery" => await ForgeryAsync(a),
                "slowbody" => await SlowBodyAsync(a),
                "search" => await SearchAsync(a),
                _ => Log.Verdict(part, false, "unknown part (forgery, slowbody, search)"),
            };
        }
        return failed == 0 ? 0 : 1;
    }

    static async Task<Product> StartAsync(Args a, string name, Dictionary<string, string>? extra = null)
    {
        var work = a.WorkDir(name);
        var env = Product.Environment(Path.Combine(work, "data"));
        foreach (var (k, v) in extra ?? []) env[k] = v;
        var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), env);
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        Log.Line($"{name}: product on {product.BaseAddress}, work dir {work}");
        return product;
    }

    static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);

    static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
}
