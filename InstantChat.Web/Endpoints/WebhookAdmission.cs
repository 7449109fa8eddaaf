using System.Threading.RateLimiting;
using InstantChat.Web.Auth;
using Microsoft.Extensions.Options;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// Rate limits that an unsigned flood cannot turn against Meta: valid deliveries share one budget
/// (WEBHOOK_RATE_LIMIT per second), charged only after the signature is verified; refused requests
/// are counted per source address, and an address past its refusals is answered 429 before its body
/// is read.
/// </summary>
public sealed class WebhookAdmission : IDisposable
{
    public const int RefusalsPerWindow = 50;
    public static readonly TimeSpan RefusalWindow = TimeSpan.FromSeconds(10);

    readonly RateLimiter? _valid;
    readonly PartitionedRateLimiter<string> _refusals = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = RefusalsPerWindow, Window = RefusalWindow, QueueLimit = 0,
        }));

    public WebhookAdmission(IOptions<AuthenticationSetup.RateLimitOptions> options)
    {
        var perSecond = options.Value.WebhookPerSecond;
        _valid = perSecond == 0 ? null : new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = perSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0,
        });
    }

    /// <summary>True when this address has used up its refusals: answer 429 without reading on.</summary>
    public bool IsBlocked(string address) => _refusals.GetStatistics(address)?.CurrentAvailablePermits == 0;

    public void Refused(string address) => _refusals.AttemptAcquire(address).Dispose();

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
        _refusals.Dispose();
    }
}
