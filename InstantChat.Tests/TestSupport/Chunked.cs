using System.Buffers;

namespace InstantChat.Tests.TestSupport;

/// <summary>Bytes as a multi-segment sequence, the way a body arrives in the in-flight budget's chunks.</summary>
public static class Chunked
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var at = 0; at < bytes.Length; at += size)
        {
            var part = bytes.AsMemory(at, Math.Min(size, bytes.Length - at));
            last = last is null ? first = new Segment(part, 0) : last.Append(part);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new(first, 0, last!, last!.Memory.Length);
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex) => (Memory, RunningIndex) = (memory, runningIndex);

        public Segment Append(ReadOnlyMemory<byte> next)
        {
            var segment = new Segment(next, RunningIndex + Memory.Length);
            Next = segment;
            return segment;
        }
    }
}
