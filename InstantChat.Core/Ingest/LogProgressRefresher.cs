using InstantChat.Core.Common;

namespace InstantChat.Core.Ingest;

/// <summary>
/// Sets <see cref="LogProgress"/> from the store's own count every couple of seconds: where several
/// hosts append to and process one log, this host's running count drifts from the truth.
/// </summary>
public sealed class LogProgressRefresher(Storage.ILogConsumer log, LogProgress progress, TimeProvider clock) : Microsoft.Extensions.Hosting.BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, clock, stoppingToken);
                var mark = progress.Mark;
                progress.Reset((await log.BacklogAsync(stoppingToken)).Deliveries, mark);
            }
            catch (Storage.StoreUnavailableException)
            {
                // Keep the running count; the store will answer again.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
