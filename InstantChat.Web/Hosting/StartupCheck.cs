using Microsoft.Extensions.Options;

namespace InstantChat.Web.Hosting;

public static class StartupCheck
{
    /// <summary>
    /// Runs every ValidateOnStart check before the host starts, so a bad variable ends start-up
    /// with one readable line instead of a hosting stack trace.
    /// </summary>
    public static bool ConfigurationIsValid(WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            LogSecurityPosture(app);
            return true;
        }
        catch (Exception ex) when (Describe(ex) is { } line)
        {
            Console.Error.WriteLine($"Invalid configuration: {line}");
            return false;
        }
    }

    /// <summary>Says at start what is closed and why, without ever printing a secret.</summary>
    static void LogSecurityPosture(WebApplication app)
    {
        var webhook = app.Services.GetRequiredService<IOptions<InstantChat.Core.Ingest.WebhookOptions>>().Value;
        if (!webhook.AppSecrets().Any())
            app.Logger.LogWarning(webhook.AllowUnsigned
                ? "WEBHOOK_ALLOW_UNSIGNED=true and no app secret: webhook POSTs are accepted WITHOUT signature checks"
                : "No INSTAGRAM_APP_SECRET or META_APP_SECRET: webhook POSTs are refused with 401 unless a subscription has a secret");
        if (string.IsNullOrEmpty(webhook.VerifyToken))
            app.Logger.LogWarning("No META_VERIFY_TOKEN: webhook verification answers 403 unless a subscription has a verify token");
    }

    public static string? Describe(Exception ex) => ex switch
    {
        AggregateException agg => string.Join(" ", agg.InnerExceptions.Select(Describe).OfType<string>()) is { Length: > 0 } s ? s : null,
        OptionsValidationException v => string.Join(" ", v.Failures),
        // The binder's own words name the key: "Failed to convert configuration value '…' at 'WEBHOOK_BATCH_SIZE' to type …".
        InvalidOperationException { Message: var m } when m.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => m,
        _ => null,
    };
}
