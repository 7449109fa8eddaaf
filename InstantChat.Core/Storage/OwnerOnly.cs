namespace InstantChat.Core.Storage;

/// <summary>
/// Files that hold events, secrets or the keys that seal them: readable by the host's own user only
/// (folders 0700, files 0600), whatever the umask. Nothing to do on Windows, whose ACLs follow the folder.
/// </summary>
public static class OwnerOnly
{
    const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode ReadWriteEnter = ReadWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder 0700, or takes group and other access away from an existing one.</summary>
    public static DirectoryInfo Folder(string path)
    {
        if (OperatingSystem.IsWindows()) return Directory.CreateDirectory(path);
        var folder = Directory.CreateDirectory(path, ReadWriteEnter);
        if (folder.UnixFileMode != ReadWriteEnter) File.SetUnixFileMode(path, ReadWriteEnter);
        return folder;
    }

    /// <summary>Creates the (empty) file 0600 if it is missing, else takes group and other access away from it.</summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        // Created with its mode, not chmod-ed after: never readable by others, not even for a moment.
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = ReadWrite })) { }
        Tighten(path);
    }

    /// <summary>An existing file (one written before this rule, say) loses group and other access.</summary>
    public static void Tighten(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path)) return;
        if (File.GetUnixFileMode(path) != ReadWrite) File.SetUnixFileMode(path, ReadWrite);
    }
}
