using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Reliability.Common;

/// <summary>
/// The published product as its own OS process on a fixed port (restarts reuse it, so senders keep
/// their URL). Its console goes to a log file; error-level lines are counted.
/// </summary>
sealed partial class Product : IAsyncDisposable
{
    public const string Secret = "reliability-app-secret";
    public const string AdminKey = "reliability-admin-key-0123456789";

    readonly string _webDir;
    readonly Dictionary<string, string> _env;
    readonly StreamWriter _log;
    readonly Lock _gate = new();
    readonly List<string> _errors = [];
    Process? _process;
    int _errorLines;

    public Product(string webDir, string logPath, IDictionary<string, string> env, int? port = null)
    {
        _webDir = webDir;
        _env = new Dictionary<string, string>(env);
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        Port = port ?? FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public string LogPath { get; }
    public int Starts { get; private set; }
    public bool Alive => _process is { HasExited: false };
    public int Pid => _process?.Id ?? 0;
    public int ErrorLines { get { lock (_gate) return _errorLines; } }
    public IReadOnlyList<string> FirstErrors { get { lock (_gate) return [.. _errors]; } }

    /// <summary>The environment every run shares: a secret, an admin key, short leases, quiet logs.</summary>
    public static Dictionary<string, string> Environment(string? dataDir, string? mongoUri = null)
    {
        var env = Shared();
        if (dataDir is not null) env["DATA_DIR"] = dataDir;
        if (mongoUri is not null) env["MONGO_URI"] = mongoUri;
        return env;
    }

    static Dictionary<string, string> Shared() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["INSTAGRAM_APP_SECRET"] = Secret,
        ["ADMIN_API_KEY"] = AdminKey,
        ["ADMIN_PASSWORD"] = "reliability-admin-password",
        // A killed host's claimed events come back after 5 s instead of 60.
        ["WEBHOOK_LEASE_SECONDS"] = "5",
        ["WEBHOOK_RETRY_DELAY"] = "200",
        // Verification pages through the API fast; the default limit is for people.
        ["API_RATE_LIMIT"] = "1000000",
        // The corpus and the forgeries send hundreds of refused deliveries from one address on purpose.
        ["WEBHOOK_REFUSAL_LIMIT"] = "0",
        ["Serilog__MinimumLevel__Default"] = "Warning",
        ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>Changes one variable for the next start (a host restarted with another configuration).</summary>
    public void Set(string name, string value) => _env[name] = value;

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(_webDir, "InstantChat.Web.dll"), "--urls", BaseAddress.ToString().TrimEnd('/') },
            WorkingDirectory = _webDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in _env) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        OnLine($"---- harness: start #{Starts}, pid {process.Id}, {DateTime.UtcNow:O}");
    }

    void OnLine(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _log.WriteLine(line);
            if (!ErrorLine().IsMatch(line)) return;
            _errorLines++;
            if (_errors.Count < 20) _errors.Add(line.Length > 400 ? line[..400] + "…" : line);
        }
    }

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (ERR|FTL)\]")]
    private static partial Regex ErrorLine();

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true } p) throw new InvalidOperationException($"the product exited with {p.ExitCode}; see {LogPath}");
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the product was not healthy after {timeout}; see {LogPath}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly like a crash.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: true);
        p.WaitForExit(10_000);
        OnLine($"---- harness: killed (SIGKILL) pid {p.Id}, {DateTime.UtcNow:O}");
    }

    /// <summary>Resident memory of the product process in KiB (/proc/PID/status VmRSS), or -1.</summary>
    public long RssKb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return -1;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        lock (_gate) _log.Dispose();
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
