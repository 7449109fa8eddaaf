using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Security;

/// <summary>The key ring that seals secrets and protects cookies: beside the data, readable by the host's user only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataProtectionKeysTests
{
    const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Seal_EmbeddedStore_KeysFolderIs0700AndKeyFiles0600()
    {
        using var dir = new TempDir();

        Sealing.For(new StorageOptions { DataDir = dir.Path }).Seal("a secret"); // the first seal creates the key ring

        var keys = Path.Combine(dir.Path, "keys");
        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        var files = Directory.GetFiles(keys);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public void Seal_KeysFolderFromBefore_IsMadeOwnerOnly()
    {
        using var dir = new TempDir();
        var keys = Directory.CreateDirectory(Path.Combine(dir.Path, "keys"));
        File.SetUnixFileMode(keys.FullName, OwnerReadWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Sealing.For(new StorageOptions { DataDir = dir.Path }).Seal("a secret");

        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys.FullName));
    }
}
