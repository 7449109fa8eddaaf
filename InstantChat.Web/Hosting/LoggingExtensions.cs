using System.Globalization;
using Serilog;

namespace InstantChat.Web.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog from the "Serilog" configuration section, written through an async console sink so
    /// the one-line-per-delivery log never holds up an acknowledgement.
    /// </summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                // Last enricher, so it sees every property the others added; before every sink.
                .Enrich.With<EscapeControlCharacters>()
                // A closed tab ends its circuit while components still release JS resources: expected, not an error.
                .Filter.ByExcluding(e => e.Exception is Microsoft.JSInterop.JSDisconnectedException)
                .WriteTo.Async(sink => sink.Console(formatProvider: CultureInfo.InvariantCulture), bufferSize: 50_000),
            // Test hosts each build their own logger; a frozen static one would leak between them.
            preserveStaticLogger: true);
        return builder;
    }
}
