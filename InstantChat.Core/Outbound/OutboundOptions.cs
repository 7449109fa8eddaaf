using Microsoft.Extensions.Configuration;

namespace InstantChat.Core.Outbound;

/// <summary>How events leave the system for the team's destinations (SPEC's variables, from the configuration root).</summary>
public sealed class OutboundOptions
{
    /// <summary>Lets destinations reach loopback and private addresses: tests, a receiver on the same machine or network.</summary>
    [ConfigurationKeyName("DESTINATIONS_ALLOW_PRIVATE")]
    public bool AllowPrivate { get; init; }

    /// <summary><c>false</c>: this host sends nothing (messages are still created; another host sends them).</summary>
    [ConfigurationKeyName("DESTINATIONS_SENDER_ENABLED")]
    public bool SenderEnabled { get; init; } = true;
}
