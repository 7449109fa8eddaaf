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

    [Fact]
    public async Task Users_DocumentFromBeforeStamps_ReadsWithAnEmptyStampUntilOneIsSet()
    {
        await _stores!.Database.Users.InsertOneAsync(new MongoDB.Bson.BsonDocument
        {
            { "_id", "u1" }, { "username", "admin" }, { "role", "admin" }, { "passwordHash", "h" }, { "disabled", false },
            { "failedLogins", 3 }, { "lockedUntil", 1_900_000_000_000L }, { "createdAt", 1_800_000_000_000L },
        });

        var legacy = await _stores.Users.FindAsync("u1", default);
        Assert.Equal("", legacy!.SecurityStamp);
        Assert.True(await _stores.Users.UpdateStampAsync("u1", "fresh", default));
        Assert.Equal(legacy with { SecurityStamp = "fresh" }, await _stores.Users.FindAsync("u1", default));
    }
}

/// <summary>On jongodb, the MongoDB-wire server the test script installs.</summary>
public sealed class MongoStoreTests(Jongodb server) : MongoContract(server.NewDatabaseUri);

/// <summary>On a real MongoDB (Testcontainers or MONGO_TEST_URI), where one is available.</summary>
public sealed class RealMongoStoreTests(RealMongo server) : MongoContract(server.NewDatabaseUri);
