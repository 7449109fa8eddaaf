using InstantChat.Core;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>What the store benchmarks share: `--name value` arguments, and the product's store wired as the host wires it.</summary>
static class BenchStore
{
    public static Dictionary<string, string> Options(string[] args) =>
        args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--") && x.i + 1 < args.Length).ToDictionary(x => x.a[2..], x => args[x.i + 1]);

    /// <summary>The product's services on the embedded store in <paramref name="dataDir"/> (or on MongoDB at <paramref name="mongoUri"/>), schema created.</summary>
    public static async Task<ServiceProvider> OpenAsync(string dataDir, string? mongoUri = null)
    {
        Directory.CreateDirectory(dataDir);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DATA_DIR"] = dataDir, ["MONGO_URI"] = mongoUri }).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddMetrics().AddSingleton<IConfiguration>(config);
        services.AddInstantChatCore(config).AddStorage(config);
        var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<IStoreInitializer>().InitializeAsync(CancellationToken.None);
        return sp;
    }
}
