using System.Buffers;
using InstantChat.Core.Ingest;

namespace InstantChat.Tests.TestSupport;

/// <summary>Bytes as a multi-segment sequence, the way a body arrives in the in-flight budget's chunks.</summary>
public static class Chunked
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size) =>
        ByteSequence.Of(Enumerable.Range(0, (bytes.Length + size - 1) / size)
            .Select(i => (ReadOnlyMemory<byte>)bytes.AsMemory(i * size, Math.Min(size, bytes.Length - i * size))));
}
