using Bunit;
using Bunit.Rendering;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Dialogs;
using InstantChat.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace InstantChat.Tests.Components.Dialogs;

public sealed class TestEventDialogTests() : DashboardContext("admin")
{
    IEventStore Store => Services.GetRequiredService<IEventStore>();

    /// <summary>Shows the dialog through the real dialog service, under the providers MainLayout renders.</summary>
    async Task<(IRenderedComponent<ContainerFragment> Provider, IDialogReference Dialog)> ShowAsync()
    {
        var provider = Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        });
        var dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TestEventDialog>("Send test event"));
        provider.WaitForAssertion(() => Assert.NotNull(provider.Find("[data-testid=send-test-event]")));
        return (provider, dialog);
    }

    [Fact]
    public async Task Send_EmptySender_FieldErrorAndNothingStored()
    {
        var (cut, dialog) = await ShowAsync();

        Mud.Input(cut, "Sender id").Change("");
        cut.Find("[data-testid=send-test-event]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Sender id is required (at most 128 characters).", Mud.FieldError(cut, "Sender id")));
        Assert.Null(Mud.FieldError(cut, "Instagram account id"));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Empty((await Store.ListAsync(new EventQuery(), CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Send_EmptyAccount_FieldError()
    {
        var (cut, _) = await ShowAsync();

        Mud.Input(cut, "Instagram account id").Change("");
        cut.Find("[data-testid=send-test-event]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Account id is required (at most 128 characters).", Mud.FieldError(cut, "Instagram account id")));
        Assert.Empty((await Store.ListAsync(new EventQuery(), CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Send_Valid_ClosesWithTheIdOfTheStoredEvent()
    {
        var (cut, dialog) = await ShowAsync();

        Mud.Input(cut, "Sender id").Change("555000111");
        Mud.Input(cut, "Text (optional)").Change("ping from the dialog");
        cut.Find("[data-testid=send-test-event]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var eventId = Assert.IsType<string>(result!.Data);
        var stored = await Store.FindAsync(eventId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal((EventTypes.Messages, "555000111", "17841400000000001", "ping from the dialog"),
            (stored.EventType, stored.SenderId, stored.AccountId, stored.Content.Text));
        Assert.Equal(ProcessingStatus.Completed, stored.ProcessedStatus); // processed like any delivery before the answer
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=send-test-event]")));
    }

    [Fact]
    public async Task Send_CommentWithUsername_StoredWithTheUsername()
    {
        var (cut, dialog) = await ShowAsync();

        Mud.Choose(cut, Mud.Control(cut, "Event type"), EventTypes.Comments);
        cut.WaitForAssertion(() => Mud.Input(cut, "Commenter username (optional)"));
        Mud.Input(cut, "Commenter username (optional)").Change("ann");
        cut.Find("[data-testid=send-test-event]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var stored = await Store.FindAsync(Assert.IsType<string>(result!.Data), CancellationToken.None);
        Assert.Equal((EventTypes.Comments, "test_sender", "ann"), (stored!.EventType, stored.SenderId, stored.UserInfo.Username));
    }

    [Fact]
    public async Task Render_MessageType_AsksNoUsernameBecauseMetaSendsNone()
    {
        var (cut, _) = await ShowAsync();

        Assert.Throws<InvalidOperationException>(() => Mud.Input(cut, "Commenter username (optional)"));
    }

    [Fact]
    public async Task OverviewButton_Send_SnackbarOffersToOpenTheStoredEvent()
    {
        var cut = RenderWithProviders<Overview>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=open-test-event]")));

        cut.Find("[data-testid=open-test-event]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=send-test-event]")));
        cut.Find("[data-testid=send-test-event]").Click();

        cut.WaitForAssertion(() => Assert.Contains(Mud.Snackbars(cut), s => s.StartsWith("Test event stored (", StringComparison.Ordinal)));
        var stored = Assert.Single((await Store.ListAsync(new EventQuery(), CancellationToken.None)).Items);
        Assert.Contains($"Test event stored ({stored.EventId}).", Mud.Snackbars(cut));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=send-test-event]")));
    }
}
