using System.Xml.Linq;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Mongo;
using InstantChat.Core.Subscriptions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Security;

/// <summary>
/// The keys that seal subscription secrets at rest and protect sign-in cookies and antiforgery
/// tokens live with the data: under DATA_DIR/keys on the embedded store (a folder only the host's
/// user can open; cookies survive a restart), in MongoDB when several hosts share it (every host
/// reads what another sealed or issued).
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>Once, whoever asks first: the store (sealed secrets) or the dashboard's authentication (cookies).</summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SecretsAtRest))) return services;
        services.AddDataProtection().SetApplicationName("InstantChat.Webhooks");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            o.XmlRepository = storage.UsesMongo
                ? new MongoXmlRepository(sp.GetRequiredService<MongoDatabase>())
                : new FileSystemXmlRepository(OwnerOnly.Folder(Path.Combine(Path.GetFullPath(storage.DataDir), "keys")), sp.GetRequiredService<ILoggerFactory>());
        }));
        services.AddSingleton<SecretsAtRest>();
        return services;
    }

    sealed class MongoXmlRepository(MongoDatabase db) : IXmlRepository
    {
        IMongoCollection<BsonDocument> Keys => db.Database.GetCollection<BsonDocument>("dataprotection_keys");

        public IReadOnlyCollection<XElement> GetAllElements() =>
            Keys.Find(Builders<BsonDocument>.Filter.Empty).ToList().Select(d => XElement.Parse(d["xml"].AsString)).ToList();

        public void StoreElement(XElement element, string friendlyName) =>
            Keys.InsertOne(new BsonDocument { { "_id", friendlyName }, { "xml", element.ToString(SaveOptions.DisableFormatting) } });
    }
}
