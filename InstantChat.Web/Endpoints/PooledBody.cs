using System.Buffers;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// The request body read once into one pooled buffer, with the size limit enforced while reading:
/// an oversized body is refused without ever being held whole in memory.
/// </summary>
sealed class PooledBody : IDisposable
{
    byte[] _buffer;
    int _length;

    PooledBody(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<PooledBody?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = new PooledBody((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1, limit + 1L));
        try
        {
            while (true)
            {
                if (body._length == body._buffer.Length)
                {
                    if (body._length > limit) { body.Dispose(); return null; }
                    body.Grow((int)Math.Min(body._buffer.Length * 2L, limit + 1L));
                }
                var read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length), cancellationToken);
                if (read == 0) return body;
                body._length += read;
                if (body._length > limit) { body.Dispose(); return null; }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    void Grow(int capacity)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
