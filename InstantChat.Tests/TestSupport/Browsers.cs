using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace InstantChat.Tests.TestSupport;

/// <summary>
/// A browser against the test host: it keeps cookies, does not follow redirects, and sends the
/// <c>Origin</c> a browser sends with a form post. <see cref="ClientAddressHeader"/> sets the
/// client address of one request (as a proxy's X-Forwarded-For would), so a test can play many clients.
/// </summary>
public static partial class Browsers
{
    public const string ThisSite = "http://localhost";
    public const string ClientAddressHeader = "X-Test-Client-Address";

    public static HttpClient Browser(this AppFactory app, string? origin = ThisSite)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (origin is not null) client.DefaultRequestHeaders.Add("Origin", origin);
        return client;
    }

    /// <summary>Loads /login (for its antiforgery token and cookie) and posts the form, as a browser does.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient browser, string username, string password, string returnUrl = "/", string? from = null)
    {
        var page = await browser.GetStringAsync("/login");
        var token = TokenPattern().Match(page).Groups[1].Value;
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["username"] = username, ["password"] = password, ["returnUrl"] = returnUrl,
            }),
        };
        if (from is not null) request.Headers.Add(ClientAddressHeader, from);
        return await browser.SendAsync(request);
    }

    /// <summary>The sign-in cookie a response set, as a Cookie header value (to replay it from another client).</summary>
    public static string AuthCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("instantchat.auth=", StringComparison.Ordinal)).Split(';')[0];

    public static string Location(this HttpResponseMessage response) => response.Headers.Location?.OriginalString ?? "";

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>Installed in every test host: the first middleware, before forwarded headers or authentication.</summary>
    internal sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientAddressHeader].ToString(), out var address)) context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
