using InstantChat.Core.Common;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.Ingest;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace InstantChat.Tests.Ingest;

public sealed class IngestWriterTests
{
    /// <summary>A log whose first append hangs until released, then fails like an unreachable server.</summary>
    sealed class FailingLog : IDeliveryLog
    {
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Commits;

        public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<LogAppend> deliveries, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Commits);
            Entered.TrySetResult();
            await Release.Task;
            throw new StoreUnavailableException("server selection timed out");
        }
    }

    static LogAppend Batch(string id) => new(id, DateTimeOffset.UtcNow, "application/json", "{}"u8.ToArray(), null);

    [Fact]
    public async Task Commit_FailsWhileOthersQueued_QueuedDeliveriesFailAtOnceWithoutACommitOfTheirOwn()
    {
        // Found by reliability/ (MongoDB outage): deliveries queued behind a failing commit waited for
        // their own failing commit, and answered 503 after 8-9 s, past Meta's 5 s.
        var store = new FailingLog();
        var writer = new IngestWriter(store, new LogSignal(), new LogProgress(), NullLogger<IngestWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            var first = writer.WriteAsync(Batch("d1"));
            await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var queued = new[] { writer.WriteAsync(Batch("d2")), writer.WriteAsync(Batch("d3")) };

            store.Release.SetResult();

            await Assert.ThrowsAsync<StoreUnavailableException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
            foreach (var q in queued) await Assert.ThrowsAsync<StoreUnavailableException>(() => q.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(1, store.Commits);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }
}
