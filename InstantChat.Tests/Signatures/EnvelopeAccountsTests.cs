using System.Text;
using InstantChat.Core.Signatures;

namespace InstantChat.Tests.Signatures;

public sealed class EnvelopeAccountsTests
{
    static EnvelopeAccounts.Reading Read(string json) => EnvelopeAccounts.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Read_PlainEnvelope_ListsEachEntrysAccount()
    {
        var reading = Read("""{"object":"instagram","entry":[{"id":"1","messaging":[]},{"time":1,"id":"2"}]}""");

        Assert.Null(reading.Ambiguity);
        Assert.Equal(["1", "2"], reading.Accounts);
    }

    [Fact]
    public void Read_EntryWithoutId_ListsEmptyAccount() => Assert.Equal([""], Read("""{"entry":[{"time":1}]}""").Accounts);

    [Theory]
    [InlineData("""{"entry":[{"id":"1"}],"entry":[{"id":"2"}]}""")]
    [InlineData("""{"entry":[{"id":"1"}],"\u0065ntry":[{"id":"2"}]}""")]
    [InlineData("""{"entry":[{"id":"1","id":"2"}]}""")]
    [InlineData("""{"entry":[{"id":"1","\u0069d":"2"}]}""")]
    [InlineData("""{"entry":[{"id":"1"},7,{"id":"2"}]}""")]
    [InlineData("""{"entry":[{"id":"1"},null]}""")]
    [InlineData("""{"entry":[["x"]]}""")]
    [InlineData("""{"entry":[{"id":1}]}""")]
    [InlineData("""{"entry":[{"id":null}]}""")]
    [InlineData("""{"entry":[{"id":{"v":"1"}}]}""")]
    [InlineData("""{"entry":[{"id":"1","messaging":[{"sender":{"id":"a","id":"b"}}]}]}""")]
    [InlineData("""{"object":"instagram","object":"page","entry":[{"id":"1"}]}""")]
    [InlineData("""{"entry":[{"id":"\ud800"}]}""")]
    public void Read_AmbiguousBody_SaysWhy(string json) => Assert.NotNull(Read(json).Ambiguity);

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("""{"entry":{"id":"1"}}""")]
    [InlineData("""{"object":"instagram"}""")]
    [InlineData("""{"entry":[{"id":"1"}]} trailing""")]
    [InlineData("""{"entry":[{"id":"1"}""")]
    public void Read_NoEnvelope_NamesNoAccount(string json)
    {
        var reading = Read(json);

        Assert.Empty(reading.Accounts);
        Assert.Null(reading.Ambiguity);
    }

    [Fact]
    public void Read_ByteOrderMark_ReadAsWithout() =>
        Assert.Equal(["1"], EnvelopeAccounts.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"entry":[{"id":"1"}]}""")]).Accounts);

    [Fact]
    public void Read_EscapedId_Unescaped() => Assert.Equal(["17"], Read("""{"entry":[{"id":"\u0031\u0037"}]}""").Accounts);
}
