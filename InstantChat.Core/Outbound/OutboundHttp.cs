using System.Collections.Concurrent;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace InstantChat.Core.Outbound;

/// <summary>
/// The HTTP client destinations are sent with: <see cref="IHttpClientFactory"/> with a Polly v8
/// pipeline per destination (Microsoft.Extensions.Http.Resilience): a circuit breaker (half the
/// requests of 30 s failing, at least 10, opens it for 30 s) around the attempt's timeout (the
/// destination's <c>timeoutSeconds</c>). No Polly retries: the schedule is durable data
/// (<see cref="OutboundSchedule"/>), it outlives the process. No redirects (a 3xx is a failure: a
/// redirect could lead past the address check), and every connection goes through <see cref="AddressGuard"/>.
/// </summary>
public static class OutboundHttp
{
    public const string ClientName = "destinations";
    public static readonly HttpRequestOptionsKey<string> DestinationKey = new("instantchat.destination");
    public static readonly HttpRequestOptionsKey<TimeSpan> TimeoutKey = new("instantchat.timeout");
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddOutboundHttp(this IServiceCollection services)
    {
        services.AddSingleton<CircuitStates>();
        services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowPrivate = sp.GetRequiredService<IOptions<OutboundOptions>>().Value.AllowPrivate;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2), // DNS changes are seen, and checked again
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    ConnectCallback = (context, ct) => AddressGuard.ConnectAsync(context.DnsEndPoint, allowPrivate, ct),
                };
            })
            // The factory's own request logging (two handlers, a scope per request) cost CPU on every send
            // and would write destination URLs, which may carry tokens, into the log: attempts are recorded instead.
            .RemoveAllLoggers()
            .AddResilienceHandler("destination", (builder, context) =>
            {
                var circuits = context.ServiceProvider.GetRequiredService<CircuitStates>();
                var destination = context.InstanceName;
                builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = BreakDuration,
                    OnOpened = args => { circuits.Opened(destination, args.BreakDuration); return default; },
                    OnClosed = _ => { circuits.Closed(destination); return default; },
                    OnHalfOpened = _ => { circuits.HalfOpened(destination); return default; },
                });
                builder.AddTimeout(new HttpTimeoutStrategyOptions
                {
                    TimeoutGenerator = args => ValueTask.FromResult(
                        args.Context.GetRequestMessage()?.Options.TryGetValue(TimeoutKey, out var t) == true ? t : TimeSpan.FromSeconds(10)),
                });
            })
            .SelectPipelineBy(_ => request => request.Options.TryGetValue(DestinationKey, out var id) ? id : "none");
        return services;
    }
}

public enum CircuitState { Closed, Open, HalfOpen }

/// <summary>Each destination's circuit as its pipeline last reported it (the page and the alerts read it).</summary>
public sealed class CircuitStates(TimeProvider clock)
{
    readonly ConcurrentDictionary<string, (CircuitState State, DateTimeOffset Since, DateTimeOffset? OpenUntil)> _states = new();

    public (CircuitState State, DateTimeOffset? Since) Of(string destinationId) =>
        _states.TryGetValue(destinationId, out var s) ? (s.State, s.Since) : (CircuitState.Closed, null);

    /// <summary>True while the circuit is open: nothing is taken for the destination until it may half-open.</summary>
    public bool IsOpen(string destinationId) =>
        _states.TryGetValue(destinationId, out var s) && s.State == CircuitState.Open && s.OpenUntil > clock.GetUtcNow();

    internal void Opened(string destinationId, TimeSpan duration) => _states[destinationId] = (CircuitState.Open, clock.GetUtcNow(), clock.GetUtcNow() + duration);
    internal void HalfOpened(string destinationId) => _states[destinationId] = (CircuitState.HalfOpen, clock.GetUtcNow(), null);
    internal void Closed(string destinationId) => _states[destinationId] = (CircuitState.Closed, clock.GetUtcNow(), null);
}
