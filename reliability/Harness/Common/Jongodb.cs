using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Reliability.Common;

/// <summary>jongodb (a MongoDB-wire server, in memory) as a single-node replica set on a fixed port.</summary>
sealed class Jongodb(string binary, int port) : IDisposable
{
    Process? _process;

    public int Port => port;
    public string Uri(string database) => $"mongodb://127.0.0.1:{port}/{database}?replicaSet=rs0&serverMonitoringMode=poll";

    public static string? Find(string? given)
    {
        const string relative = ".tools/jongodb/node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb";
        if (!string.IsNullOrEmpty(given)) return File.Exists(given) ? Path.GetFullPath(given) : null;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--host=127.0.0.1", $"--port={port}", "--topology-profile=singleNodeReplicaSet", "--replica-set-name=rs0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(info)!;
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
