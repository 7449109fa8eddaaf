namespace InstantChat.Core.Processing;

/// <summary>
/// A change to business state (a thread, a reaction, a comment) that one event implies. A handler
/// computes it from the parsed update; the store applies it in the same commit as the event it
/// belongs to. Every kind is an upsert that commutes with the others, so order and repetition
/// (a retry after a crash) never change the outcome.
/// </summary>
public abstract record BusinessWrite;
