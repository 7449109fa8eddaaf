using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

/// <summary>The store contract on a MongoDB-wire server; each test gets its own database.</summary>
public abstract class MongoContract(Func<string> newDatabaseUri) : StoreContract
{
    MongoStores? _stores;

    protected override IStoreSet Stores => _stores!;

    public override async ValueTask InitializeAsync()
    {
        _stores = new MongoStores(newDatabaseUri());
        await _stores.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_stores is not null) await _stores.DropAsync();
    }
}

/// <summary>On jongodb, the MongoDB-wire server the test script installs.</summary>
public sealed class MongoStoreTests(Jongodb server) : MongoContract(server.NewDatabaseUri);

/// <summary>On a real MongoDB (Testcontainers or MONGO_TEST_URI), where one is available.</summary>
public sealed class RealMongoStoreTests(RealMongo server) : MongoContract(server.NewDatabaseUri);
