using Microsoft.Extensions.Hosting;

namespace InstantChat.Core.Storage;

/// <summary>Prepares a store (files, schema, indexes) before anything else starts.</summary>
public interface IStoreInitializer
{
    Task InitializeAsync(CancellationToken cancellationToken);
}

sealed class StoreInitializerService(IStoreInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.InitializeAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
