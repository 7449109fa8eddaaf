using System.Buffers;
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
    const int PooledUpTo = 1024 * 1024;
    // Its own small pool: a burst of large bodies must not leave the shared pool holding hundreds of MiB.
    static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(PooledUpTo, maxArraysPerBucket: 8);

    readonly InflightBudget.Holder _share;
    byte[] _buffer = [];
    int _length;

    WebhookBody(InflightBudget.Holder share) => _share = share;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public static async Task<(WebhookBody? Body, BodyRead Outcome)> ReadAsync(
        HttpRequest request, int limit, InflightBudget budget, CancellationToken cancellationToken)
    {
        using var evicted = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, evicted.Token);
        var body = new WebhookBody(budget.Open(() => evicted.Cancel()));
        // The declared length only caps growth (Kestrel never passes more than it), so a truthful one
        // ends in an exact fit; it never sizes a buffer before the bytes are there.
        var declared = request.ContentLength;
        var cap = declared is >= 0 ? (int)Math.Min(declared.Value, limit + 1L) : limit + 1;
        try
        {
            while (body._length < cap)
            {
                if (body._length == body._buffer.Length && !body.Grow(NextCapacity(body._buffer.Length, cap)))
                    return body.End(BodyRead.NoBudget);
                var read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length, Math.Min(body._buffer.Length, cap) - body._length), linked.Token);
                if (read == 0) break;
                body._length += read;
            }
            return body._length > limit ? body.End(BodyRead.TooLarge) : (body, BodyRead.Complete);
        }
        catch (OperationCanceledException) when (evicted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return body.End(BodyRead.Evicted);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    (WebhookBody?, BodyRead) End(BodyRead outcome)
    {
        Dispose();
        return (null, outcome);
    }

    static int NextCapacity(int current, int cap) =>
        current == 0 ? Math.Min(FirstBuffer, Math.Max(cap, 1)) : (int)Math.Min(current * 2L, cap);

    bool Grow(int capacity)
    {
        if (!_share.TryReserve(capacity)) return false;
        var bigger = capacity <= PooledUpTo ? Pool.Rent(capacity) : GC.AllocateUninitializedArray<byte>(capacity);
        if (bigger.Length > capacity && !_share.TryReserve(bigger.Length - capacity))
        {
            Return(bigger);
            _share.Release(capacity);
            return false;
        }
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        var old = _buffer;
        _buffer = bigger;
        Return(old);
        _share.Release(old.Length);
        return true;
    }

    static void Return(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= PooledUpTo) Pool.Return(buffer);
    }

    public void Dispose()
    {
        Return(_buffer);
        _buffer = [];
        _length = 0;
        _share.Dispose();
    }
}
