using Testcontainers.MongoDb;

[assembly: AssemblyFixture(typeof(InstantChat.Tests.TestSupport.RealMongo))]

namespace InstantChat.Tests.TestSupport;

/// <summary>
/// A real MongoDB for the same contract suite: MONGO_TEST_URI when set, else a mongo:8.0 replica
/// set through Testcontainers when a Docker engine answers. Neither here: the tests skip and say why.
/// </summary>
public sealed class RealMongo : IAsyncLifetime
{
    MongoDbContainer? _container;
    string? _baseUri;

    public string? SkipReason { get; private set; }

    public string NewDatabaseUri()
    {
        if (SkipReason is not null) Assert.Skip(SkipReason);
        var uri = new UriBuilder(_baseUri!) { Path = $"/t{Guid.NewGuid():N}" };
        // Credentials of a container live in admin; a database in the path would otherwise become the auth source.
        if (uri.UserName.Length > 0 && !uri.Query.Contains("authSource", StringComparison.Ordinal))
            uri.Query = (uri.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + "authSource=admin";
        return uri.Uri.ToString();
    }

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("MONGO_TEST_URI") is { Length: > 0 } configured)
        {
            _baseUri = configured;
            return;
        }
        try
        {
            _container = new MongoDbBuilder("mongo:8.0").WithReplicaSet("rs0").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await _container.StartAsync(timeout.Token);
            _baseUri = _container.GetConnectionString();
        }
        catch (Exception ex)
        {
            SkipReason = $"no real MongoDB: MONGO_TEST_URI is unset and Testcontainers could not start mongo:8.0 ({ex.GetType().Name}: {FirstLine(ex.Message)})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
