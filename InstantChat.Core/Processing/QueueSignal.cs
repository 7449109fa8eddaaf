using InstantChat.Core.Common;

namespace InstantChat.Core.Processing;

/// <summary>Something is due in the retry queue.</summary>
public sealed class QueueSignal : WakeSignal;
