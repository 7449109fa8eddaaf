using System.Threading.RateLimiting;
using InstantChat.Web.Auth;
using Microsoft.Extensions.Options;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// Rate limits that an unsigned flood cannot turn against Meta: valid deliveries share one budget
/// (WEBHOOK_RATE_LIMIT per second), charged only after the signature is verified; refused requests
/// are counted per source address (WEBHOOK_REFUSAL_LIMIT per 10 s), and an address past its refusals
/// is answered 429 before its body is read. Behind a proxy, enable forwarded headers so the address
/// is the sender's, not the proxy's.
/// </summary>
public sealed class WebhookAdmission : IDisposable
{
    public static readonly TimeSpan RefusalWindow = TimeSpan.FromSeconds(10);

    readonly RateLimiter? _valid;
    readonly PartitionedRateLimiter<string>? _refusals;
    long _lastRefusalAt = long.MinValue / 2; // Environment.TickCount64 of the newest refusal

    public WebhookAdmission(IOptions<AuthenticationSetup.RateLimitOptions> options)
    {
        var perSecond = options.Value.WebhookPerSecond;
        _valid = perSecond == 0 ? null : new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = perSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0,
        });
        RefusalsPerWindow = options.Value.WebhookRefusalsPerAddress;
        _refusals = RefusalsPerWindow == 0 ? null : PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = RefusalsPerWindow, Window = RefusalWindow, QueueLimit = 0,
            }));
    }

    public int RefusalsPerWindow { get; }

    /// <summary>True when the sender's address has used up its refusals: answer 429 without reading on.</summary>
    public bool IsBlocked(ConnectionInfo connection)
    {
        // No refusal within the window (the usual case): nobody can be over the limit, and the
        // limiter's partition lookup, behind one lock every delivery would share, is skipped.
        if (_refusals is null || Environment.TickCount64 - Interlocked.Read(ref _lastRefusalAt) > (long)RefusalWindow.TotalMilliseconds) return false;
        return _refusals.GetStatistics(Address(connection))?.CurrentAvailablePermits == 0;
    }

    public void Refused(ConnectionInfo connection)
    {
        if (_refusals is null) return;
        Interlocked.Exchange(ref _lastRefusalAt, Environment.TickCount64);
        _refusals.AttemptAcquire(Address(connection)).Dispose();
    }

    static string Address(ConnectionInfo connection) => connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Charges one verified delivery to the shared budget; false when it is spent for this second.</summary>
    public bool AdmitValid()
    {
        if (_valid is null) return true;
        using var lease = _valid.AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _valid?.Dispose();
        _refusals?.Dispose();
    }
}
