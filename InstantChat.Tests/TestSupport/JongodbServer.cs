using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Testing;

/// <summary>
/// One jongodb process (a MongoDB-wire server, in memory) as a single-node replica set on a port:
/// started, answering a ping, killed. The tests' fixture and the reliability harness both use this
/// file (the harness links it), so there is one way to run it.
/// </summary>
public sealed class JongodbServer(string binary, int port) : IDisposable
{
    public const string RelativePath = ".tools/jongodb/node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb";
    Process? _process;

    public int Port => port;

    public string Uri(string database) => $"mongodb://127.0.0.1:{port}/{database}?replicaSet=rs0&serverMonitoringMode=poll";

    /// <summary>The binary test.sh installs, looked for in <paramref name="directory"/> and the folders above it.</summary>
    public static string? Find(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RelativePath))) return Path.Combine(dir.FullName, RelativePath);
        return null;
    }

    /// <summary>Starts the process and returns once it answers a ping (30 s at most).</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--host=127.0.0.1", $"--port={port}", "--topology-profile=singleNodeReplicaSet", "--replica-set-name=rs0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process?.Dispose();
        _process = Process.Start(info)!;
        // Drained, or a chatty server would block on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var client = new MongoClient($"mongodb://127.0.0.1:{port}/?replicaSet=rs0&serverMonitoringMode=poll&serverSelectionTimeoutMS=1000");
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

    public void Kill()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: true);
        p.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
