using System.Xml.Linq;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Mongo;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Web.Auth;

/// <summary>
/// The keys that protect sign-in cookies and antiforgery tokens live with the data: under DATA_DIR
/// on the embedded store (cookies survive a restart), in MongoDB when several hosts share it (a
/// cookie issued by one host is accepted by the others).
/// </summary>
public static class DataProtectionKeys
{
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("InstantChat.Webhooks");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            o.XmlRepository = storage.UsesMongo
                ? new MongoXmlRepository(sp.GetRequiredService<MongoDatabase>())
                : new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(Path.GetFullPath(storage.DataDir), "keys")), sp.GetRequiredService<ILoggerFactory>());
        }));
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
