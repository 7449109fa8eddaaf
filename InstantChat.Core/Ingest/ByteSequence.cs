using System.Buffers;

namespace InstantChat.Core.Ingest;

/// <summary>Pieces of memory as one sequence, without copying them (a body as the chunks it arrived in).</summary>
public static class ByteSequence
{
    public static ReadOnlySequence<byte> Of(IEnumerable<ReadOnlyMemory<byte>> parts)
    {
        Segment? first = null, last = null;
        foreach (var part in parts)
            last = last is null ? first = new Segment(part, 0) : last.Append(part);
        return first is null ? ReadOnlySequence<byte>.Empty
            : first == last ? new ReadOnlySequence<byte>(first.Memory)
            : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex) => (Memory, RunningIndex) = (memory, runningIndex);

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
