using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Web;

public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("WEBHOOK_BATCH_SIZE", "-1")]
    [InlineData("WEBHOOK_BATCH_SIZE", "abc")]
    [InlineData("WEBHOOK_RETRY_ATTEMPTS", "0")]
    [InlineData("WEBHOOK_RETRY_DELAY", "-5")]
    [InlineData("WEBHOOK_MAX_BODY_BYTES", "1024")]
    [InlineData("WEBHOOK_ALLOW_UNSIGNED", "maybe")]
    [InlineData("MONGO_URI", "not-a-mongo-uri")]
    [InlineData("RETENTION_DAYS", "0")]
    [InlineData("API_RATE_LIMIT", "0")]
    [InlineData("MONGO_URI", "mongodb://")]
    [InlineData("ADMIN_PASSWORD", "a")]
    [InlineData("ADMIN_PASSWORD", "          ")]
    [InlineData("ADMIN_PASSWORD", "eleven-char")]
    [InlineData("ADMIN_PASSWORD", "                ")]
    [InlineData("ADMIN_API_KEY", "k")]
    [InlineData("ADMIN_API_KEY", "0123456789abcdef0123456789abcde")]
    [InlineData("ADMIN_API_KEY", "                                        ")]
    public async Task Start_InvalidVariable_ExitsWithOneLineNamingIt(string variable, string value)
    {
        using var dir = new TempDir();
        await using var web = WebProcess.Start(new Dictionary<string, string> { ["DATA_DIR"] = dir.Path, [variable] = value });

        var exitCode = await web.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        var line = Assert.Single(web.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid configuration:", line);
        Assert.Contains(variable, line);
        if (variable.StartsWith("ADMIN_") && value.Trim().Length > 1) Assert.DoesNotContain(value.Trim(), line); // a refused secret is not echoed
    }
}
