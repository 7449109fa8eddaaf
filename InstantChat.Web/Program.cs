using InstantChat.Core;
using InstantChat.Web.Components;
using InstantChat.Web.Endpoints;
using InstantChat.Web.Hosting;
using InstantChat.Web.Hubs;

var builder = WebApplication.CreateBuilder(args);
builder.AddLogging();                                          // Serilog, from configuration
builder.Services.AddInstantChatCore(builder.Configuration);    // options, parser, signatures, group-commit ingest
builder.Services.AddStorage(builder.Configuration);            // SQLite (DATA_DIR) or MongoDB (MONGO_URI)
builder.Services.AddApi(builder.Configuration);                // problem details, JSON, API-key auth, health
builder.Services.AddDashboard();                               // Razor components, MudBlazor

var app = builder.Build();
if (!StartupCheck.ConfigurationIsValid(app)) return 1;         // one line naming the bad variable

app.UseApi();
app.UseDashboard();
app.MapWebhookEndpoints();
app.MapEventEndpoints();
app.MapRetryEndpoints();
app.MapTestEventEndpoints();
app.MapConversationEndpoints();
app.MapSubscriptionEndpoints();
app.MapDestinationEndpoints();
app.MapAlertEndpoints();
app.MapStatsEndpoints();
app.MapKeyEndpoints();
app.MapAccountEndpoints();
app.MapUserEndpoints();
app.MapHub<WebhookHub>(WebhookHub.Path);
app.MapOperatorEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();  // /login opts out
app.Run();
return 0;

public partial class Program;                                  // for WebApplicationFactory
