using InstantChat.Core.People;

namespace InstantChat.Core.Storage;

/// <summary>
/// The participant directory: id → the name the newest event carried. Written in the processor's
/// commit with the events that bring a name (<see cref="Participants.Seen"/>); read by the dashboard.
/// </summary>
public interface IParticipantStore
{
    /// <summary>The known ones among <paramref name="ids"/> (at most 500 asked at once); unknown ids are absent.</summary>
    Task<IReadOnlyDictionary<string, Participant>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);
}
