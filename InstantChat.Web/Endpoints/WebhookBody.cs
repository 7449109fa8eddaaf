using InstantChat.Core.Webhooks;

namespace InstantChat.Web.Endpoints;

/// <summary>How reading a webhook body ended.</summary>
public enum BodyRead { Complete, TooLarge, NoBudget, Evicted }

/// <summary>
/// A webhook body read into one buffer that grows as bytes arrive — never from the declared
/// Content-Length, which costs an attacker nothing to state — within the in-flight budget, and
/// with the size limit enforced while reading: an oversized body is never held whole.
/// </summary>
sealed class WebhookBody : IDisposable
{
    const int FirstBuffer = 16 * 1024;

    readonly InflightBudget.Holder _share;
    byte[] _buffer = [];
    int _length;

    WebhookBody(InflightBudget.Holder share) => _share = share;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public static async Task<(WebhookBody? Body, BodyRead Outcome)> ReadAsync(
        HttpRequest request, int limit, InflightBudget budget, CancellationToken cancellationToken)
    {
        // A body pushed out for a newer one loses its connection: no answer is owed to a sender
        // still trickling bytes, and an aborted connection is never drained.
        var body = new WebhookBody(budget.Open(request.HttpContext.Abort));
        // The declared length only caps growth (Kestrel never passes more than it), so a truthful one
        // ends in an exact fit; it never sizes a buffer before the bytes are there.
        var cap = request.ContentLength is { } declared and >= 0 ? (int)Math.Min(declared, limit + 1L) : limit + 1;
        try
        {
            while (body._length < cap)
            {
                if (body._length == body._buffer.Length && !body.Grow(NextCapacity(body._buffer.Length, cap)))
                    return body.End(BodyRead.NoBudget);
                var read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length, Math.Min(body._buffer.Length, cap) - body._length), cancellationToken);
                if (read == 0) break;
                body._length += read;
            }
            return body._length > limit ? body.End(BodyRead.TooLarge) : (body, BodyRead.Complete);
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

    static int NextCapacity(int current, int cap) =>
        current == 0 ? Math.Min(FirstBuffer, Math.Max(cap, 1)) : (int)Math.Min(current * 2L, cap);

    (WebhookBody?, BodyRead) End(BodyRead outcome)
    {
        Dispose();
        return (null, outcome);
    }

    bool Grow(int capacity)
    {
        if (_share.Rent(capacity) is not { } bigger) return false;
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        _share.Return(_buffer);
        _buffer = bigger;
        return true;
    }

    public void Dispose()
    {
        _share.Return(_buffer);
        _buffer = [];
        _length = 0;
        _share.Dispose();
    }
}
