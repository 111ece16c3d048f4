using System.Globalization;
using System.Resources;
using System.Security.Claims;
using Rebooking.Access;
using Rebooking.Api.Access;

namespace Rebooking.Api.StaffConsole;

/// <summary>
/// Who is looking at a console page and in which language: the signed-in staff member's name, role and
/// tenants, and the texts (German by default, English by choice, kept in a cookie).
/// </summary>
public sealed class StaffView
{
    static readonly ResourceManager Texts = new("Rebooking.Api.StaffConsole.StaffTexts", typeof(StaffView).Assembly);
    public const string LanguageCookie = "rebooking-staff-lang";

    public required string Language { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public IReadOnlyList<string> Tenants { get; init; } = [];
    /// <summary>The path and query of this page, for the language switch to come back to.</summary>
    public string Path { get; init; } = "/staff";
    public bool SignedIn => Role != "";

    public bool MayChange => Role is Roles.Admin or Roles.Clerk;
    public bool ForAllTenants => Tenants.Contains(Roles.AllTenants);
    /// <summary>The one tenant of a clerk or supervisor; null for an admin of several or all.</summary>
    public string? HomeTenant => Tenants.Count == 1 && !ForAllTenants ? Tenants[0] : null;

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Language == "en" ? "en-GB" : "de-DE");
    public string OtherLanguage => Language == "en" ? "de" : "en";
    public string LanguageUrl => $"/staff/language?to={OtherLanguage}&returnUrl={Uri.EscapeDataString(Path)}";

    public string T(string key) => Texts.GetString(key, CultureInfo.GetCultureInfo(Language)) ?? key;

    public string T(string key, params object[] args) => string.Format(Culture, T(key), args);

    /// <summary>"Mo., 23.11.2026, 07:00 Uhr" in the tenant's zone.</summary>
    public string When(DateTimeOffset utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(utc, zone).ToString(T("DateTimeFormat"), Culture);

    /// <summary>"alle" for an empty scope (empty means all), else the names joined.</summary>
    public string NamesOrAll(IReadOnlyList<string> ids, Func<string, string> name) =>
        ids.Count == 0 ? T("All") : string.Join(", ", ids.Select(name));

    public string Number(int n) => n.ToString("N0", Culture);

    public static StaffView For(HttpContext http)
    {
        var user = http.User;
        var language = http.Request.Cookies[LanguageCookie] is "en" ? "en" : "de";
        return new StaffView
        {
            Language = language,
            Name = user.FindFirst(ClaimTypes.Name)?.Value ?? "",
            Role = user.Identity?.AuthenticationType == StaffAuth.CookieScheme ? user.FindFirst(RebookingClaims.Role)?.Value ?? "" : "",
            Tenants = user.FindAll(RebookingClaims.Tenant).Select(c => c.Value).ToList(),
            Path = http.Request.Path + http.Request.QueryString,
        };
    }
}
