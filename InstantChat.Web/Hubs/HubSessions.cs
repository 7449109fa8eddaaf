using System.Collections.Concurrent;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.SignalR;

namespace InstantChat.Web.Hubs;

/// <summary>
/// A hub connection is authenticated once, when it opens, and then lives for hours: this keeps the
/// open ones and re-checks each every <see cref="SessionCheck.RecheckEvery"/>, closing those whose
/// API key was revoked or whose user lost access (within 30 s, with the session cache's 20 s).
/// </summary>
public sealed partial class HubSessions(SessionCheck check, TimeProvider clock, ILogger<HubSessions> logger) : BackgroundService
{
    readonly ConcurrentDictionary<string, HubCallerContext> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    public void Opened(HubCallerContext connection) => _open[connection.ConnectionId] = connection;

    public void Closed(HubCallerContext connection) => _open.TryRemove(connection.ConnectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SessionCheck.RecheckEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await RecheckAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task RecheckAsync(CancellationToken ct)
    {
        foreach (var connection in _open.Values)
        {
            if (connection.User is not { } user || await check.KeepAsync(user, ct)) continue;
            LogClosing(logger, connection.ConnectionId, user.Identity?.Name);
            _open.TryRemove(connection.ConnectionId, out _);
            connection.Abort();
        }
    }

    [LoggerMessage(LogLevel.Information, "Audit: closing hub connection {ConnectionId} of {User}: its session ended or its key was revoked")]
    static partial void LogClosing(ILogger logger, string connectionId, string? user);
}
