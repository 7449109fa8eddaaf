using InstantChat.Core.Common;
using InstantChat.Core.EventModel;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Outbound;

/// <summary>A destination with how it has been doing: the last 24 h of attempts, its backlog, its circuit (as this host sees it).</summary>
public sealed record DestinationStatus(Destination Destination, DestinationHealthCounts Last24Hours, long Backlog, CircuitState Circuit);

/// <summary>A destination as created or rotated: the only time its secret is shown.</summary>
public sealed record DestinationWithSecret(Destination Destination, string Secret);

/// <summary>Destination changes for the API and the dashboard: validated, audited, in effect at once on this host (5 s on others).</summary>
public sealed partial class DestinationService(
    IDestinationStore store,
    IOutboundStore messages,
    DestinationDirectory directory,
    OutboundSender sender,
    CircuitStates circuits,
    OutboundSignal signal,
    IOptions<OutboundOptions> options,
    TimeProvider clock,
    ILogger<DestinationService> audit)
{
    public Task<IReadOnlyList<Destination>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public Task<Destination?> FindAsync(string destinationId, CancellationToken ct) => store.FindAsync(destinationId, ct);

    /// <summary>Every destination with its health: three reads in all (destinations, hourly counters, pending counts), whatever the volume.</summary>
    public async Task<IReadOnlyList<DestinationStatus>> StatusesAsync(CancellationToken ct)
    {
        var all = await store.ListAsync(ct);
        var health = await messages.HealthAsync(clock.GetUtcNow().AddHours(-24), ct);
        var pending = await messages.PendingAsync(ct);
        return all.Select(d => new DestinationStatus(d, health.GetValueOrDefault(d.DestinationId) ?? DestinationHealthCounts.None,
            pending.GetValueOrDefault(d.DestinationId), circuits.Of(d.DestinationId).State)).ToList();
    }

    public async Task<ChangeResult<OutboundAttempt>> SendTestAsync(string destinationId, CancellationToken ct) =>
        await store.FindAsync(destinationId, ct) is { } d ? Change.Done(await sender.SendTestAsync(d, ct)) : Change.NotFound;

    /// <summary>An event's messages, one per destination, with their attempts (the event drawer's deliveries).</summary>
    public async Task<(IReadOnlyList<OutboundMessage> Messages, IReadOnlyList<OutboundAttempt> Attempts)> ForEventAsync(string eventId, CancellationToken ct)
    {
        var found = await messages.ForEventAsync(eventId, ct);
        return (found, await messages.AttemptsAsync(found.Select(m => m.MessageId).ToList(), ct));
    }

    public async Task<ChangeResult<DestinationWithSecret>> CreateAsync(DestinationBody? body, string? by, CancellationToken ct)
    {
        if (DestinationValidator.Validate(body, options.Value.AllowPrivate) is { Count: > 0 } errors) return Change.Invalid(errors);
        var now = clock.GetUtcNow();
        var secret = OutboundSigner.NewSecret();
        var destination = body!.ToDestination("dst_" + EventIds.New(now), new DestinationSecrets(secret), now, now);
        await store.CreateAsync(destination, ct);
        await directory.ReloadAsync(ct);
        LogChanged(audit, by, "created", destination.DestinationId, destination.Url);
        return Change.Done(new DestinationWithSecret(destination, secret));
    }

    public async Task<ChangeResult<Destination>> UpdateAsync(string destinationId, DestinationBody? body, string? by, CancellationToken ct)
    {
        if (DestinationValidator.Validate(body, options.Value.AllowPrivate) is { Count: > 0 } errors) return Change.Invalid(errors);
        if (await store.FindAsync(destinationId, ct) is not { } previous) return Change.NotFound;
        var destination = body!.ToDestination(destinationId, previous.Secrets, previous.CreatedAt, clock.GetUtcNow());
        // Turned on again by a person: the product's reason for turning it off no longer applies.
        if (!destination.Enabled) destination = destination with { DisabledReason = previous.DisabledReason };
        if (!await store.UpdateAsync(destination, ct)) return Change.NotFound;
        await directory.ReloadAsync(ct);
        signal.Notify();
        LogChanged(audit, by, "updated", destinationId, destination.Url);
        return Change.Done(destination);
    }

    public async Task<ChangeResult<bool>> DeleteAsync(string destinationId, string? by, CancellationToken ct)
    {
        if (!await store.DeleteAsync(destinationId, ct)) return Change.NotFound;
        await directory.ReloadAsync(ct);
        LogChanged(audit, by, "deleted", destinationId, "-");
        return Change.Done(true);
    }

    /// <summary>A new secret signs from now on; the old one signs beside it for 24 h (<see cref="DestinationSecrets.Overlap"/>).</summary>
    public async Task<ChangeResult<DestinationWithSecret>> RotateSecretAsync(string destinationId, string? by, CancellationToken ct)
    {
        if (await store.FindAsync(destinationId, ct) is not { } previous) return Change.NotFound;
        var now = clock.GetUtcNow();
        var secret = OutboundSigner.NewSecret();
        var destination = previous with { Secrets = previous.Secrets.Rotated(secret, now), UpdatedAt = now };
        if (!await store.UpdateAsync(destination, ct)) return Change.NotFound;
        await directory.ReloadAsync(ct);
        LogChanged(audit, by, "rotated the secret of", destinationId, destination.Url);
        return Change.Done(new DestinationWithSecret(destination, secret));
    }

    public async Task<(OutboundPage Page, IReadOnlyList<OutboundAttempt> Attempts)?> MessagesAsync(OutboundQuery query, CancellationToken ct)
    {
        if (await store.FindAsync(query.DestinationId, ct) is null) return null;
        var page = await messages.ListAsync(query, ct);
        return (page, await messages.AttemptsAsync(page.Items.Select(m => m.MessageId).ToList(), ct));
    }

    /// <summary>Sends a finished message again, due now, with the same webhook-id. 409 while it is still pending.</summary>
    public async Task<ChangeResult<OutboundMessage>> RetryAsync(string destinationId, string messageId, string? by, CancellationToken ct)
    {
        if (await messages.FindAsync(messageId, ct) is not { } message || message.DestinationId != destinationId) return Change.NotFound;
        if (message.Status == OutboundStatus.Pending)
            return Change.Conflict("Message is pending", $"Message {messageId} is still pending (next attempt {message.NextAttemptAt:u}); it can be retried once delivered or failed.");
        await messages.RetryAsync(destinationId, [messageId], null, clock.GetUtcNow(), ct);
        signal.Notify();
        LogChanged(audit, by, "retried message " + messageId + " of", destinationId, "-");
        return Change.Done((await messages.FindAsync(messageId, ct))!);
    }

    public async Task<ChangeResult<int>> RetryManyAsync(string destinationId, OutboundStatus? status, string? by, CancellationToken ct)
    {
        if (await store.FindAsync(destinationId, ct) is null) return Change.NotFound;
        var count = await messages.RetryAsync(destinationId, null, status ?? OutboundStatus.Failed, clock.GetUtcNow(), ct);
        signal.Notify();
        LogChanged(audit, by, $"retried {count} messages of", destinationId, "-");
        return Change.Done(count);
    }

    public async Task<ChangeResult<int>> ReplayAsync(string destinationId, DateTimeOffset? since, string? by, CancellationToken ct)
    {
        if (since is null) return Change.Invalid(new Dictionary<string, string[]> { ["since"] = ["Since is required: an ISO 8601 time; every matching event received from then on is sent again."] });
        if (await store.FindAsync(destinationId, ct) is not { } destination) return Change.NotFound;
        var count = await messages.ReplayAsync(destination, since.Value, clock.GetUtcNow(), ct);
        signal.Notify();
        LogChanged(audit, by, $"replayed {count} events since {since:u} to", destinationId, destination.Url);
        return Change.Done(count);
    }

    [LoggerMessage(LogLevel.Information, "Audit: {By} {Action} destination {DestinationId} ({Url})")]
    static partial void LogChanged(ILogger logger, string? by, string action, string destinationId, string url);
}
