using InstantChat.Core.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Simulation;

/// <summary>
/// Demo traffic: sends <see cref="TrafficGenerator"/> deliveries (Instagram, Messenger and WhatsApp) through the real ingest path (parse,
/// deduplicate, durable commit, queue) at SIMULATOR_RATE. Runs from start-up when SIMULATOR=true, or
/// when the dashboard calls <see cref="Start"/>. A failed send is logged and dropped; the loop lives on.
/// </summary>
public sealed partial class Simulator : BackgroundService
{
    /// <summary>Sends awaiting their group commit at once: enough to hold 200/s, few enough that a slow store slows us down.</summary>
    const int MaxInFlight = 16;
    static readonly TimeSpan WarningEvery = TimeSpan.FromSeconds(10);

    readonly WebhookIngestor _ingestor;
    readonly TimeProvider _clock;
    readonly ILogger<Simulator> _logger;
    readonly TrafficGenerator _generator;
    readonly TimeSpan _interval;
    readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    readonly Lock _gate = new();
    TaskCompletionSource _changed = NewSignal();
    bool _running;
    long _sent;
    long _unreported;
    DateTimeOffset _lastWarning = DateTimeOffset.MinValue;

    public Simulator(WebhookIngestor ingestor, IOptions<SimulatorOptions> options, TimeProvider clock, ILogger<Simulator> logger)
    {
        _ingestor = ingestor;
        _clock = clock;
        _logger = logger;
        Rate = options.Value.Rate;
        _interval = TimeSpan.FromSeconds(1 / Rate);
        _running = options.Value.Enabled;
        // Unseeded: each run tells a different story; its ids continue above the last run's (see SimulatedIds).
        _generator = new TrafficGenerator(new Random(), clock);
    }

    /// <summary>Deliveries per second while running (SIMULATOR_RATE).</summary>
    public double Rate { get; }

    public bool IsRunning { get { lock (_gate) return _running; } }

    /// <summary>Deliveries ingested (committed) since start-up.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Raised after <see cref="Start"/> or <see cref="Stop"/> changed the state, on the caller's thread.</summary>
    public event Action? StateChanged;

    public void Start() => SetRunning(true);

    public void Stop() => SetRunning(false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (IsRunning) LogOnAtStartup(Rate);
        var due = _clock.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task changed;
                bool running;
                lock (_gate) (changed, running) = (_changed.Task, _running);
                if (!running)
                {
                    await changed.WaitAsync(stoppingToken);
                    due = _clock.GetUtcNow(); // a restart begins now: no burst for the time it was off
                    continue;
                }

                if (Generate() is { } body)
                {
                    await _inFlight.WaitAsync(stoppingToken);
                    _ = SendAsync(body, stoppingToken);
                }

                // Paced against a schedule, not a fixed sleep, so ingest latency does not lower the rate;
                // after a stall (a slow store) it catches up at most a second's worth, never a flood.
                var now = _clock.GetUtcNow();
                due = due + _interval < now - TimeSpan.FromSeconds(1) ? now : due + _interval;
                if (due > now) await Task.WhenAny(Task.Delay(due - now, _clock, stoppingToken), changed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Host shutdown: let the sends already handed to the ingest writer finish; it stops after us.
        for (var i = 0; i < MaxInFlight; i++) await _inFlight.WaitAsync(CancellationToken.None);
    }

    /// <summary>A bug in the generator costs one delivery, not the host (a BackgroundService that throws stops it).</summary>
    byte[]? Generate()
    {
        try
        {
            return _generator.NextAnyDelivery();
        }
        catch (Exception ex)
        {
            Warn(ex);
            return null;
        }
    }

    async Task SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            await _ingestor.IngestAsync(body, "application/json");
            Interlocked.Increment(ref _sent);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: this demo delivery is simply not sent.
        }
        catch (Exception ex)
        {
            // Dropped, not retried: the next demo delivery is as good as this one.
            Warn(ex);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>At most one warning per <see cref="WarningEvery"/>: a store that is down must not flood the log at 200/s.</summary>
    void Warn(Exception ex)
    {
        long suppressed;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (now - _lastWarning < WarningEvery)
            {
                _unreported++;
                return;
            }
            _lastWarning = now;
            suppressed = _unreported;
            _unreported = 0;
        }
        // Type and message only: a demo body holds nothing secret, but it is noise in a log.
        LogSendFailed(ex.GetType().Name, ex.Message, suppressed);
    }

    void SetRunning(bool running)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_running == running) return;
            _running = running;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult(); // wakes the loop, whether it waits to start or sleeps between sends
        if (running) LogStarted(Rate);
        else LogStopped(Sent);
        StateChanged?.Invoke();
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(LogLevel.Warning, "Simulator on: {Rate} deliveries/s — demo traffic, do not use in production")]
    partial void LogOnAtStartup(double rate);

    [LoggerMessage(LogLevel.Warning, "Simulator started: {Rate} deliveries/s — demo traffic, do not use in production")]
    partial void LogStarted(double rate);

    [LoggerMessage(LogLevel.Information, "Simulator stopped; {Sent} deliveries sent since start-up")]
    partial void LogStopped(long sent);

    [LoggerMessage(LogLevel.Warning, "Simulator delivery failed: {ErrorType}: {Error} ({Suppressed} more failed since the previous warning)")]
    partial void LogSendFailed(string errorType, string error, long suppressed);
}
