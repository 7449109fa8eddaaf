using System.Buffers;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;

namespace InstantChat.Web.Endpoints;

/// <summary>How reading a webhook body ended.</summary>
public enum BodyRead { Complete, TooLarge, NoBudget, Evicted }

/// <summary>
/// A webhook body read into chunks of the in-flight budget, taken as bytes arrive — never from the
/// declared Content-Length, which costs an attacker nothing to state — with the size limit enforced
/// while reading: an oversized body is never held whole. The bytes stay in the chunks until the
/// signature is checked; only a verified body is copied out (<see cref="ToArray"/>).
/// </summary>
sealed class WebhookBody : IDisposable
{
    readonly InflightBudget.Holder _share;
    int _length;

    WebhookBody(InflightBudget.Holder share) => _share = share;

    public int Length => _length;

    public static async Task<(WebhookBody? Body, BodyRead Outcome)> ReadAsync(
        HttpRequest request, int limit, InflightBudget budget, CancellationToken cancellationToken)
    {
        // A body pushed out for a newer one loses its connection: no answer is owed to a sender
        // still trickling bytes, and an aborted connection is never drained.
        var body = new WebhookBody(budget.Open(request.HttpContext.Abort));
        try
        {
            var chunk = Memory<byte>.Empty;
            while (true)
            {
                if (chunk.IsEmpty)
                {
                    if (await body._share.TakeChunkAsync(cancellationToken) is not { } next) return body.End(BodyRead.NoBudget);
                    chunk = next;
                }
                var read = await request.Body.ReadAsync(chunk, cancellationToken);
                if (read == 0) return (body, BodyRead.Complete);
                body._length += read;
                chunk = chunk[read..];
                if (body._length > limit) return body.End(BodyRead.TooLarge);
            }
        }
        catch (Exception ex) when (body._share.Evicted && ex is OperationCanceledException or IOException)
        {
            return body.End(BodyRead.Evicted);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The bytes where they are, one segment per chunk.</summary>
    public ReadOnlySequence<byte> Sequence
    {
        get
        {
            var left = _length;
            return ByteSequence.Of(_share.Taken.TakeWhile(_ => left > 0).Select(chunk =>
            {
                var part = chunk.AsMemory(0, Math.Min(left, chunk.Length));
                left -= part.Length;
                return (ReadOnlyMemory<byte>)part;
            }));
        }
    }

    /// <summary>A copy of exactly the body's bytes, for a body whose signature is verified.</summary>
    public byte[] ToArray() => Sequence.ToArray();

    (WebhookBody?, BodyRead) End(BodyRead outcome)
    {
        Dispose();
        return (null, outcome);
    }

    public void Dispose() => _share.Dispose();
}
