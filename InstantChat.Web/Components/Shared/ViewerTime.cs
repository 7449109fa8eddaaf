namespace InstantChat.Web.Components.Shared;

/// <summary>
/// The viewer's UTC offset, asked of the browser once per circuit (the layout does it after its first
/// render). Until it is known, times are shown in UTC and say so.
/// </summary>
public sealed class ViewerTime
{
    public TimeSpan? Offset { get; private set; }

    public event Action? Changed;

    public void Set(TimeSpan offset)
    {
        if (Offset == offset) return;
        Offset = offset;
        Changed?.Invoke();
    }
}
