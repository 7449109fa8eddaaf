using System.ComponentModel.DataAnnotations;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Retention;

public sealed class RetentionOptions
{
    /// <summary>Finished events and raw deliveries older than this many days are deleted; unset keeps everything.</summary>
    [ConfigurationKeyName("RETENTION_DAYS")]
    [Range(1, 36_500, ErrorMessage = "RETENTION_DAYS must be between {1} and {2} days (or unset to keep everything).")]
    public int? Days { get; init; }
}

public interface IRetentionStore
{
    /// <summary>
    /// Deletes up to <paramref name="batch"/> finished events received before <paramref name="cutoff"/>,
    /// their attempt history, and the deliveries of that age no unfinished event still needs.
    /// Counters and rollups are kept. Returns how many events were deleted.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken);
}

/// <summary>Runs the purge hourly in small batches, so it never holds the store for long.</summary>
public sealed partial class RetentionService(IRetentionStore store, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    const int Batch = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Days is not { } days) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cutoff = clock.GetUtcNow().AddDays(-days);
                int deleted, total = 0;
                while ((deleted = await store.PurgeAsync(cutoff, Batch, stoppingToken)) > 0) total += deleted;
                if (total > 0) LogPurged(total, days);
            }
            catch (StoreUnavailableException ex)
            {
                LogPurgeFailed(ex.Message);
            }
            await Task.Delay(TimeSpan.FromHours(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(LogLevel.Information, "Retention: deleted {Events} events older than {Days} days")]
    partial void LogPurged(int events, int days);

    [LoggerMessage(LogLevel.Warning, "Retention purge failed: {Error}")]
    partial void LogPurgeFailed(string error);
}
