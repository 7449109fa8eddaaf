using InstantChat.Core.Processing;

namespace InstantChat.Core.Storage;

/// <summary>
/// Applies business writes outside a processor batch: a retried event's effect. The processor applies
/// its batch's writes in the commit that stores the events (<see cref="IIngestStore"/>).
/// </summary>
public interface IBusinessStore
{
    Task ApplyAsync(IReadOnlyList<BusinessWrite> writes, CancellationToken cancellationToken);
}
