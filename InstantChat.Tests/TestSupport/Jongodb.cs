using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Driver;

[assembly: AssemblyFixture(typeof(InstantChat.Tests.TestSupport.Jongodb))]

namespace InstantChat.Tests.TestSupport;

/// <summary>
/// One jongodb (a MongoDB-wire server shipped as a native binary on npm) for the whole test run,
/// as a single-node replica set. Each test takes its own database. test.sh installs the binary
/// into .tools/jongodb; when it is missing the Mongo tests skip and say so.
/// </summary>
public sealed class Jongodb : IAsyncLifetime
{
    const string BinaryPath = ".tools/jongodb/node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb";
    Process? _process;
    int _port;

    public string? SkipReason { get; private set; }

    /// <summary>A connection string to a database no other test uses.</summary>
    public string NewDatabaseUri()
    {
        if (SkipReason is not null) Assert.Skip(SkipReason);
        return $"mongodb://127.0.0.1:{_port}/t{Guid.NewGuid():N}?replicaSet=rs0&serverMonitoringMode=poll";
    }

    public async ValueTask InitializeAsync()
    {
        var binary = Environment.GetEnvironmentVariable("JONGODB_BIN") ?? FindUpwards(BinaryPath);
        if (binary is null || !File.Exists(binary))
        {
            SkipReason = $"jongodb not installed ({BinaryPath}); ./test.sh installs it with npm";
            return;
        }
        _port = FreePort();
        var info = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--host=127.0.0.1", $"--port={_port}", "--topology-profile=singleNodeReplicaSet", "--replica-set-name=rs0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var client = new MongoClient($"mongodb://127.0.0.1:{_port}/?replicaSet=rs0&serverMonitoringMode=poll&serverSelectionTimeoutMS=1000");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    static string? FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
