using InstantChat.Core.Common;

namespace InstantChat.Core.Ingest;

/// <summary>A delivery was appended to the log: whoever processes the log may wake (ingest never calls it).</summary>
public sealed class LogSignal : WakeSignal;
