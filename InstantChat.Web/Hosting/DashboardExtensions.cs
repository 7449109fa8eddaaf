using MudBlazor.Services;

namespace InstantChat.Web.Hosting;

public static class DashboardExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        // The hub sends events exactly as the REST API returns them (camelCase, enums as strings).
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddHostedService<Hubs.HubBroadcaster>();
        services.AddMudServices(o =>
        {
            // Bottom right: toasts must not cover the page's own header actions. The live feed shows one
            // toast at most (updated in place); room for two more the pages raise (a retry's outcome).
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        services.AddScoped<Components.Notifications.NotificationCenter>();
        services.AddScoped<Components.Shared.ViewerTime>();
        services.AddSingleton<Components.Shared.ParticipantNames>();
        // SecurityHeaders sends X-Frame-Options: DENY on every response; antiforgery must not add a second value.
        services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        return services;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        // The error page is for people; the API's own handler (UseApi) answers /api with problem details.
        if (!app.Environment.IsDevelopment())
            app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), page => page.UseExceptionHandler("/Error", createScopeForErrors: true));
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }
}
