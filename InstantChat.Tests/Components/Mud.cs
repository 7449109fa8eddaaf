using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace InstantChat.Tests.Components;

/// <summary>
/// Drives MudBlazor inputs the way a user does, through their markup: labels, the select's menu
/// (rendered by MudPopoverProvider), message-box buttons (rendered by MudDialogProvider).
/// </summary>
static class Mud
{
    /// <summary>The input of the (first) field labelled <paramref name="label"/>.</summary>
    public static IElement Input<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        Control(cut, label).QuerySelector("input, textarea") ?? throw new InvalidOperationException($"Field '{label}' has no input.");

    /// <summary>The field-level error text shown under the field labelled <paramref name="label"/>, or null.</summary>
    public static string? FieldError<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        Control(cut, label).QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    /// <summary>The outer input control (label, input, helper text) of the field labelled <paramref name="label"/>.</summary>
    public static IElement Control<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        cut.FindAll(".mud-input-control").FirstOrDefault(c => c.QuerySelector("label")?.TextContent.Trim() == label)
        ?? throw new InvalidOperationException($"No field labelled '{label}'.");

    /// <summary>The check box that shares a row with the field labelled <paramref name="label"/> (its closest enclosing field).</summary>
    public static IElement CheckBoxBeside<T>(IRenderedComponent<T> cut, string label) where T : IComponent =>
        cut.FindAll("input[type=checkbox]").Single(box =>
        {
            for (var a = box.ParentElement; a is not null; a = a.ParentElement)
                if (a.QuerySelector("input:not([type=checkbox])") is { } field)
                    return field.Closest(".mud-input-control")?.QuerySelector("label")?.TextContent.Trim() == label;
            return false;
        });

    /// <summary>Opens the select (its input control, or any element inside or around it) and clicks the option.</summary>
    public static void Choose<T>(IRenderedComponent<T> cut, IElement select, string option) where T : IComponent
    {
        var control = select.ClassList.Contains("mud-input-control") ? select
            : select.Closest(".mud-input-control") ?? select.QuerySelector(".mud-input-control") ?? throw new InvalidOperationException("Not a select.");
        control.MouseDown();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(".mud-popover-open [role=option]"), o => o.TextContent.Trim() == option));
        cut.FindAll(".mud-popover-open [role=option]").First(o => o.TextContent.Trim() == option).Click();
    }

    /// <summary>The open message box's text, once it is shown.</summary>
    public static string MessageBox<T>(IRenderedComponent<T> cut) where T : IComponent
    {
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-message-box .mud-dialog-content")));
        return cut.Find(".mud-message-box .mud-dialog-content").TextContent.Trim();
    }

    public static void Confirm<T>(IRenderedComponent<T> cut) where T : IComponent => cut.Find(".mud-message-box .mud-message-box__yes-button").Click();

    public static void Cancel<T>(IRenderedComponent<T> cut) where T : IComponent => cut.Find(".mud-message-box .mud-message-box__cancel-button").Click();

    /// <summary>Every snackbar message currently shown.</summary>
    public static IReadOnlyList<string> Snackbars<T>(IRenderedComponent<T> cut) where T : IComponent =>
        cut.FindAll(".mud-snackbar .mud-snackbar-content-message").Select(s => s.TextContent.Trim()).ToList();
}
