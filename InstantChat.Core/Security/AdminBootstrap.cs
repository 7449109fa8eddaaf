using InstantChat.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Security;

/// <summary>
/// First start: creates the built-in <c>admin</c> with ADMIN_PASSWORD, or a random password printed
/// once to the console (stdout, not the log pipeline, so it reaches no log sink or file).
/// </summary>
public sealed partial class AdminBootstrap(UserService users, IOptions<UserOptions> options, ILogger<AdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var generated = await users.EnsureAdminAsync(options.Value.AdminPassword, cancellationToken);
            if (generated is not null)
                Console.WriteLine($"Created the built-in user 'admin' with the password: {generated}  (shown once; change it under Users)");
        }
        catch (StoreUnavailableException ex)
        {
            LogStoreUnavailable(ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Could not check for the built-in admin (store unavailable: {Error}); it is created at the next start")]
    partial void LogStoreUnavailable(string error);
}
