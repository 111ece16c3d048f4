using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Access;

namespace Rebooking.Tests.Support;

/// <summary>
/// A staff member's browser session against the in-memory app, over https://localhost so the Secure session
/// cookie is kept and sent back. Form posts carry the antiforgery token from the last page, as a browser's would.
/// </summary>
public sealed partial class ConsoleSession(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public static HttpClient NewClient(RebookingApp app) =>
        app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates the account (role and tenant as given) in the store, the way `staff add` does.</summary>
    public static async Task AddAccountAsync(RebookingApp app, string email, string role, string tenant, string password = "correct horse battery")
    {
        var added = await app.Services.GetRequiredService<StaffAccounts>().AddAsync(new AddStaffRequest(email, "Test " + role, role, tenant, password), "test");
        Assert.That(added, Is.True);
    }

    /// <summary>Signs in through the form and fails the test unless the session cookie was issued.</summary>
    public static async Task<ConsoleSession> SignInAsync(RebookingApp app, string email, string password = "correct horse battery")
    {
        var session = new ConsoleSession(NewClient(app));
        var answer = await session.SignInAttemptAsync(email, password);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await answer.Content.ReadAsStringAsync());
        return session;
    }

    public async Task<HttpResponseMessage> SignInAttemptAsync(string email, string password)
    {
        var page = await Client.GetStringAsync("/staff/login");
        return await Client.PostAsync("/staff/login", Form(page, ("email", email), ("password", password), ("returnUrl", "/staff")));
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="path"/> with the antiforgery token of the page at <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string path, params (string Name, string Value)[] fields) =>
        await Client.PostAsync(path, Form(await Client.GetStringAsync(formPage), fields));

    public static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", Token(page)), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    public static string Token(string page) => AntiforgeryField().Match(page) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new AssertionException("The page has no antiforgery token:\n" + page);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
