using System.Text;
using InstantChat.Core.Ingest;

namespace InstantChat.Tests.Ingest;

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
        Assert.Equal(["1"], EnvelopeAccounts.Read(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"entry":[{"id":"1"}]}""")).ToArray()).Accounts);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Read_BodyInChunks_ReadsAsWhole(int chunk)
    {
        var body = Encoding.UTF8.GetBytes("\uFEFF" + """{"entry":[{"id":"1","messaging":[{"message":{"text":"héllo 👋 مرحبا"}}]},{"id":"2"}]}""");

        var reading = EnvelopeAccounts.Read(TestSupport.Chunked.Split(body, chunk));

        Assert.Equal(["1", "2"], reading.Accounts);
        Assert.Null(reading.Ambiguity);
    }

    [Fact]
    public void Read_InvalidUtf8AcrossChunks_NamesNoAccount()
    {
        // A four-byte emoji cut short, its first bytes at the end of one chunk.
        var body = Encoding.UTF8.GetBytes("{\"entry\":[{\"id\":\"1\",\"t\":\"").Concat(new byte[] { 0xF0, 0x9F, 0x91 }).Concat(Encoding.UTF8.GetBytes("\"}]}")).ToArray();

        Assert.Empty(EnvelopeAccounts.Read(TestSupport.Chunked.Split(body, 26)).Accounts);
    }

    [Fact]
    public void Read_EscapedId_Unescaped() => Assert.Equal(["17"], Read("""{"entry":[{"id":"\u0031\u0037"}]}""").Accounts);
}
