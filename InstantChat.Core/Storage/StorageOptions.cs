using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace InstantChat.Core.Storage;

public sealed class StorageOptions
{
    /// <summary>Folder of the embedded SQLite store; relative paths are taken from the working directory.</summary>
    [ConfigurationKeyName("DATA_DIR")]
    [Required(AllowEmptyStrings = false, ErrorMessage = "DATA_DIR must not be empty.")]
    public string DataDir { get; init; } = "data";

    [ConfigurationKeyName("MONGO_URI")]
    public string? MongoUri { get; init; }

    public bool UsesMongo => !string.IsNullOrWhiteSpace(MongoUri);

    public string SqlitePath => Path.Combine(Path.GetFullPath(DataDir), "instantchat.db");
}
