using InstantChat.Core.Ingest;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;

namespace InstantChat.Tests.TestSupport;

public static class TestMetrics
{
    public static WebhookMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
