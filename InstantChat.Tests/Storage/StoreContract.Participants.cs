using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    IParticipantStore Participants => Stores.Participants;

    [Fact]
    public async Task Participants_CommentWithAUsername_NamesItsSender()
    {
        await CommitAsync(Deliveries.Comment("c1", "17841400000000001", "ann.b", 1_764_000_000_000));

        var found = await Participants.FindAsync(["17841400000000001", "unknown-id"], default);

        var ann = Assert.Single(found).Value;
        Assert.Equal(("17841400000000001", "ann.b", "ann.b"), (ann.Id, ann.Username, ann.DisplayName));
    }

    [Fact]
    public async Task Participants_NewerNameThenAnOlderSighting_KeepsTheNewerName()
    {
        await CommitAsync(Deliveries.Comment("c1", "17841400000000002", "old.name", 1_764_000_000_000));
        await CommitAsync(Deliveries.Comment("c2", "17841400000000002", "new.name", 1_764_000_100_000));
        await CommitAsync(Deliveries.Comment("c3", "17841400000000002", null, 1_764_000_200_000));

        var found = await Participants.FindAsync(["17841400000000002"], default);

        Assert.Equal("new.name", found["17841400000000002"].Username);
    }

    [Fact]
    public async Task Participants_SameDeliveryTwice_OneEntry()
    {
        var body = Deliveries.Comment("c1", "17841400000000003", "cara", 1_764_000_000_000);
        await CommitAsync(body);
        await CommitAsync(body);

        Assert.Single(await Participants.FindAsync(["17841400000000003"], default));
    }

    [Fact]
    public async Task Participants_MessageWithoutAName_AddsNoEntry()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m1", "hi", sender: "900000077")));

        Assert.Empty(await Participants.FindAsync(["900000077"], default));
    }
}
