using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace InstantChat.Core.Ingest;

/// <summary>
/// SPEC's variables, bound from the configuration root so that the same name works as an
/// environment variable and as a top-level key of appsettings.json.
/// </summary>
public sealed class WebhookOptions
{
    public const int MinBodyLimit = 10 * 1024 * 1024;

    [ConfigurationKeyName("META_VERIFY_TOKEN")]
    public string? VerifyToken { get; init; }

    [ConfigurationKeyName("INSTAGRAM_APP_SECRET")]
    public string? InstagramAppSecret { get; init; }

    [ConfigurationKeyName("META_APP_SECRET")]
    public string? MetaAppSecret { get; init; }

    /// <summary>Accept POSTs without a signature check. Only for local experiments.</summary>
    [ConfigurationKeyName("WEBHOOK_ALLOW_UNSIGNED")]
    public bool AllowUnsigned { get; init; }

    [ConfigurationKeyName("WEBHOOK_BATCH_SIZE")]
    [Range(1, 10_000, ErrorMessage = "WEBHOOK_BATCH_SIZE must be between {1} and {2}.")]
    public int BatchSize { get; init; } = 100;

    [ConfigurationKeyName("WEBHOOK_RETRY_ATTEMPTS")]
    [Range(1, 50, ErrorMessage = "WEBHOOK_RETRY_ATTEMPTS must be between {1} and {2}.")]
    public int RetryAttempts { get; init; } = 3;

    [ConfigurationKeyName("WEBHOOK_RETRY_DELAY")]
    [Range(1, 3_600_000, ErrorMessage = "WEBHOOK_RETRY_DELAY must be between {1} and {2} milliseconds.")]
    public int RetryDelayMs { get; init; } = 5_000;

    /// <summary>False: this host only ingests and serves; other hosts on the same store process.</summary>
    [ConfigurationKeyName("WEBHOOK_WORKER_ENABLED")]
    public bool WorkerEnabled { get; init; } = true;

    /// <summary>Events one host processes at the same time; handlers mostly wait on the store, so this is well above the core count.</summary>
    [ConfigurationKeyName("WEBHOOK_WORKER_PARALLELISM")]
    [Range(1, 256, ErrorMessage = "WEBHOOK_WORKER_PARALLELISM must be between {1} and {2}.")]
    public int WorkerParallelism { get; init; } = 32;

    /// <summary>How long a claim is held; a worker that dies loses its events back to the queue after this.</summary>
    [ConfigurationKeyName("WEBHOOK_LEASE_SECONDS")]
    [Range(5, 3_600, ErrorMessage = "WEBHOOK_LEASE_SECONDS must be between {1} and {2}.")]
    public int LeaseSeconds { get; init; } = 60;

    /// <summary>The safety-net poll of the queue; new events wake the worker at once.</summary>
    [ConfigurationKeyName("WEBHOOK_POLL_INTERVAL_MS")]
    [Range(10, 60_000, ErrorMessage = "WEBHOOK_POLL_INTERVAL_MS must be between {1} and {2}.")]
    public int PollIntervalMs { get; init; } = 1_000;

    /// <summary>Largest accepted POST body. Meta batches up to 1,000 updates; 10 MiB is the floor.</summary>
    [ConfigurationKeyName("WEBHOOK_MAX_BODY_BYTES")]
    [Range(MinBodyLimit, 256 * 1024 * 1024, ErrorMessage = "WEBHOOK_MAX_BODY_BYTES must be between {1} and {2} bytes.")]
    public int MaxBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Bytes of webhook bodies being read at once (their buffers). It must hold one largest body while
    /// its buffer grows (twice WEBHOOK_MAX_BODY_BYTES); when it is full, newer bodies push out older
    /// still-arriving ones, and an older one that cannot grow gets 503 + Retry-After.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_MAX_INFLIGHT_BYTES")]
    [Range(2L * MinBodyLimit, 64L * 1024 * 1024 * 1024, ErrorMessage = "WEBHOOK_MAX_INFLIGHT_BYTES must be between {1} and {2} bytes.")]
    public long MaxInflightBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Acknowledged deliveries not yet processed before new ones get 503: the log absorbs a burst
    /// (a viral post, a live video) and processing catches up behind it, but not without bound.
    /// The default holds well over a minute of the fastest acknowledgement rate measured here.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_MAX_BACKLOG")]
    [Range(1, 1_000_000_000, ErrorMessage = "WEBHOOK_MAX_BACKLOG must be between {1} and {2} deliveries.")]
    public long MaxBacklog { get; init; } = 2_000_000;

    public IEnumerable<byte[]> AppSecrets()
    {
        if (!string.IsNullOrEmpty(InstagramAppSecret)) yield return System.Text.Encoding.UTF8.GetBytes(InstagramAppSecret);
        if (!string.IsNullOrEmpty(MetaAppSecret)) yield return System.Text.Encoding.UTF8.GetBytes(MetaAppSecret);
    }
}
