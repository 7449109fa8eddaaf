using InstantChat.Core.Common;

namespace InstantChat.Core.Outbound;

/// <summary>Messages may be due: a commit created some, a send finished (a slot is free, or the next of a conversation may go).</summary>
public sealed class OutboundSignal : WakeSignal;
