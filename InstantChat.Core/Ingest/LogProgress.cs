namespace InstantChat.Core.Ingest;

/// <summary>
/// Acknowledged deliveries not processed yet, as this host knows it at no cost: appends add, the
/// processor's commits take away, and the store's own count resets it (at start; every second where
/// several hosts share the log). Read on every delivery to keep the backlog bounded.
/// </summary>
public sealed class LogProgress
{
    long _pending;

    public long Pending => Math.Max(0, Interlocked.Read(ref _pending));

    public void Appended(int deliveries) => Interlocked.Add(ref _pending, deliveries);

    public void Processed(int deliveries) => Interlocked.Add(ref _pending, -deliveries);

    public void Reset(long pending) => Interlocked.Exchange(ref _pending, pending);
}

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
                progress.Reset((await log.BacklogAsync(stoppingToken)).Deliveries);
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
