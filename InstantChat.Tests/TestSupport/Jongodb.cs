using System.Net;
using System.Net.Sockets;
using InstantChat.Testing;

[assembly: AssemblyFixture(typeof(InstantChat.Tests.TestSupport.Jongodb))]

namespace InstantChat.Tests.TestSupport;

/// <summary>
/// One jongodb (a MongoDB-wire server shipped as a native binary on npm) for the whole test run,
/// as a single-node replica set. Each test takes its own database. test.sh installs the binary
/// into .tools/jongodb; when it is missing the Mongo tests skip and say so.
/// </summary>
public sealed class Jongodb : IAsyncLifetime
{
    JongodbServer? _server;

    public string? SkipReason { get; private set; }

    /// <summary>A connection string to a database no other test uses.</summary>
    public string NewDatabaseUri()
    {
        if (SkipReason is not null) Assert.Skip(SkipReason);
        return _server!.Uri($"t{Guid.NewGuid():N}");
    }

    public async ValueTask InitializeAsync()
    {
        var binary = Environment.GetEnvironmentVariable("JONGODB_BIN") ?? JongodbServer.Find(AppContext.BaseDirectory);
        if (binary is null || !File.Exists(binary))
        {
            SkipReason = $"jongodb not installed ({JongodbServer.RelativePath}); ./test.sh installs it with npm";
            return;
        }
        _server = new JongodbServer(binary, FreePort());
        await _server.StartAsync();
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
