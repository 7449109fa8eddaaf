using InstantChat.Core.Security;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Mongo;
using InstantChat.Core.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.TestSupport;

/// <summary>The product's <see cref="SecretsAtRest"/> as the host wires it: key ring under DATA_DIR/keys, or in MongoDB.</summary>
public static class Sealing
{
    public static SecretsAtRest For(StorageOptions storage, MongoDatabase? mongo = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(Options.Create(storage));
        if (mongo is not null) services.AddSingleton(mongo);
        return services.AddSharedDataProtection().BuildServiceProvider().GetRequiredService<SecretsAtRest>();
    }
}
