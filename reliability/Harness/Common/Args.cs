using System.Globalization;

namespace Reliability.Common;

/// <summary><c>--name value</c> options and bare <c>--flag</c>s.</summary>
sealed class Args
{
    readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);

    public static Args Parse(IReadOnlyList<string> args)
    {
        var parsed = new Args();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
            var name = args[i][2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) parsed._values[name[..eq]] = name[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) parsed._values[name] = args[++i];
            else parsed._flags.Add(name);
        }
        return parsed;
    }

    public string Str(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;
    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double Dbl(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public bool Flag(string name) => _flags.Contains(name) || (_values.TryGetValue(name, out var v) && v is "true" or "1");

    /// <summary>The published product: --web DIR (holding InstantChat.Web.dll), or RELIABILITY_WEB.</summary>
    public string WebDir()
    {
        var dir = Str("web", Environment.GetEnvironmentVariable("RELIABILITY_WEB") ?? "");
        if (dir.Length == 0 || !File.Exists(Path.Combine(dir, "InstantChat.Web.dll")))
            throw new ArgumentException($"--web must name a folder holding InstantChat.Web.dll (got '{dir}'); reliability/run publishes it");
        return Path.GetFullPath(dir);
    }

    /// <summary>A scratch folder for this run (data, logs), under --work or the system temp folder.</summary>
    public string WorkDir(string name)
    {
        var root = Str("work", Path.GetTempPath());
        var dir = Path.Combine(root, $"rel-{name}-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
