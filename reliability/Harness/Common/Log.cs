using System.Diagnostics;
using System.Globalization;

namespace Reliability.Common;

static class Log
{
    static readonly Stopwatch Clock = Stopwatch.StartNew();
    static readonly Lock Gate = new();

    public static double Seconds => Clock.Elapsed.TotalSeconds;

    public static void Line(string text)
    {
        lock (Gate) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Clock.Elapsed.TotalSeconds,7:0.0}s] {text}"));
    }

    /// <summary>The verdict line reliability/run looks for: <c>RESULT name PASS|FAIL|SKIP details</c>.</summary>
    public static int Verdict(string name, bool pass, string details, bool skipped = false)
    {
        var word = skipped ? "SKIP" : pass ? "PASS" : "FAIL";
        lock (Gate) Console.WriteLine($"RESULT {name} {word} {details}");
        return skipped ? 0 : pass ? 0 : 1;
    }
}
