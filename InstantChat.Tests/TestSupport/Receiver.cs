using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InstantChat.Tests.TestSupport;

/// <summary>A request a destination received: its headers and body as they arrived, and when.</summary>
public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>
/// A real Kestrel receiver on 127.0.0.1 for destination tests: records every request and answers
/// with what <see cref="Answer"/> says (200 by default).
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    readonly WebApplication _app;
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Status code (and optional headers) for the n-th request (0-based), given its body.</summary>
    public Func<int, string, Task<(int Status, Dictionary<string, string>? Headers)>> Answer { get; set; } = (_, _) => Task.FromResult<(int, Dictionary<string, string>?)>((200, null));

    int _count;

    Receiver(WebApplication app) => _app = app;

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var n = Interlocked.Increment(ref receiver._count) - 1;
            receiver.Requests.Enqueue(new Received(http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body, DateTimeOffset.UtcNow));
            var (status, headers) = await receiver.Answer(n, body);
            foreach (var (k, v) in headers ?? []) http.Response.Headers[k] = v;
            http.Response.StatusCode = status;
            await http.Response.WriteAsync($"answer {n}");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
