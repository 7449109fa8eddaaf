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
        // The product gives up on a server after 4 s (Meta waits 5 s); its heartbeats use the same
        // timeout. One jongodb serves every test of a loaded 2-core run and can stall longer than
        // that: two missed heartbeats pause the pool and fail whatever test runs then. 20 s here.
        return _server!.Uri($"t{Guid.NewGuid():N}") + "&connectTimeoutMS=20000";
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
