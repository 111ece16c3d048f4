using System.Globalization;
using System.Resources;
using Rebooking.Api.Rebookings;

namespace Rebooking.Api.Outages;

/// <summary>
/// The public status page's language: the citizens' languages (German by default, <c>?lang=</c> picks
/// another), texts from <c>StatusTexts*.resx</c>, right to left for Arabic.
/// </summary>
public sealed class StatusView
{
    static readonly ResourceManager Texts = new("Rebooking.Api.Outages.StatusTexts", typeof(StatusView).Assembly);

    public required string Language { get; init; }
    public required string Path { get; init; }

    public static StatusView For(string? requested, string path) =>
        new() { Language = RebookPageModel.PickLanguage(requested, null), Path = path };

    CultureInfo Format => CultureInfo.GetCultureInfo(T("Culture"));

    public string Direction => CultureInfo.GetCultureInfo(Language).TextInfo.IsRightToLeft ? "rtl" : "ltr";

    public IEnumerable<(string Code, string Name)> OtherLanguages => RebookPageModel.Languages.Where(l => l.Code != Language);

    public string T(string key) => Texts.GetString(key, CultureInfo.GetCultureInfo(Language)) ?? key;

    public string T(string key, params object[] args) => string.Format(Format, T(key), args);

    /// <summary>"Do, 06.05.2021, 18:00 Uhr" in the tenant's zone.</summary>
    public string When(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone).ToString(T("DateTimeFormat"), Format);

    /// <summary>"alle" for an empty scope (empty means all), else the names joined.</summary>
    public string NamesOrAll(IReadOnlyList<string> ids, Func<string, string> name) =>
        ids.Count == 0 ? T("All") : string.Join(", ", ids.Select(name));
}
