namespace InstantChat.Tests.TestSupport;

/// <summary>The real host allowed to reach 127.0.0.1, and a receiver there: the base of the destination and alert tests.</summary>
public abstract class ReceiverHost : IAsyncLifetime
{
    protected readonly AppFactory _app = new(new() { ["DESTINATIONS_ALLOW_PRIVATE"] = "true" });
    protected Receiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _receiver.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
