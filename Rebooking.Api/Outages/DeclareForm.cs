using System.Globalization;
using FluentValidation;
using Rebooking.Api.StaffConsole;
using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Api.Outages;

/// <summary>
/// The clerk's declaration form as typed: local date-times (<c>datetime-local</c>, the tenant's zone) and
/// checkbox lists. <see cref="ToRequest"/> turns it into the API's <see cref="DeclareOutageRequest"/>, so the
/// console and the API store exactly the same thing.
/// </summary>
public sealed record DeclareForm(
    string Start, string End, bool OpenEnded, IReadOnlyList<string> OfficeIds, IReadOnlyList<string> ServiceIds,
    IReadOnlyList<string> ExemptServiceIds, string Reason, string PublicMessage, bool Notify, bool ConfirmLongWindow = false,
    IReadOnlyDictionary<string, string>? PublicMessages = null)
{
    public const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public static DeclareForm From(IFormCollection form) => new(
        form["start"].ToString().Trim(), form["end"].ToString().Trim(), form["openEnded"] == "true",
        Ids(form, "officeIds"), Ids(form, "serviceIds"), Ids(form, "exemptServiceIds"),
        form["reason"].ToString().Trim(), form["publicMessage"].ToString().Trim(), form["notify"] == "true", form["confirmLongWindow"] == "true",
        Translations(form));

    /// <summary>The translated messages the clerk filled in (fields <c>publicMessages.{language}</c>); empty ones are left out.</summary>
    static Dictionary<string, string> Translations(IFormCollection form) =>
        OutageDefinitionValidator<DeclareOutageRequest>.TranslatedLanguages
            .Select(language => (language, text: form[$"publicMessages.{language}"].ToString().Trim()))
            .Where(t => t.text.Length > 0)
            .ToDictionary(t => t.language, t => t.text);

    /// <summary>The translation in <paramref name="language"/>, or "".</summary>
    public string PublicMessageIn(string language) => PublicMessages?.GetValueOrDefault(language) ?? "";

    static List<string> Ids(IFormCollection form, string name) =>
        form[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct().ToList();

    /// <summary>A fresh form: from the next quarter hour to the end of the local day, everything in scope.</summary>
    public static DeclareForm Default(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var start = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute / 15 * 15, 0);
        return new DeclareForm(start.ToString(LocalFormat, CultureInfo.InvariantCulture), local.Date.AddDays(1).ToString(LocalFormat, CultureInfo.InvariantCulture),
            false, [], [], [], "", "", true);
    }

    /// <summary>
    /// The request, or the errors by form field (text keys of the console's resources, or the API
    /// validator's own message as a last resort). Local times in a DST gap are refused; in the repeated
    /// autumn hour the earlier instant is taken.
    /// </summary>
    public (DeclareOutageRequest? Request, Dictionary<string, string> Errors) ToRequest(TenantMasterData tenant, StaffView staff)
    {
        var errors = new Dictionary<string, string>();
        var zone = tenant.Tenant.Zone;
        var start = Parse(Start, zone, "start", errors, staff);
        DateTimeOffset? end = null;
        if (!OpenEnded)
        {
            if (End.Length == 0) errors["end"] = staff.T("ErrEndRequired");
            else end = Parse(End, zone, "end", errors, staff);
            if (start is { } s && end is { } e && e <= s) errors["end"] = staff.T("ErrEndBeforeStart");
            else if (start is { } s2 && end is { } e2 && OutageChanges.IsLongWindow(s2, e2) && !ConfirmLongWindow)
                errors["end"] = staff.T("ErrWindowNeedsConfirmation", OutageDefinitionValidator<DeclareOutageRequest>.MaxWindowDays);
        }
        if (Reason.Length == 0) errors["reason"] = staff.T("ErrReasonRequired");
        if (PublicMessage.Length == 0) errors["publicMessage"] = staff.T("ErrPublicMessageRequired");
        else if (PublicMessage.Length > OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage)
            errors["publicMessage"] = staff.T("ErrPublicMessageTooLong", OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage);
        foreach (var (language, message) in PublicMessages ?? new Dictionary<string, string>())
            if (message.Length > OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage)
                errors[$"publicMessages.{language}"] = staff.T("ErrPublicMessageTooLong", OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage);
        if (ExemptServiceIds.Any(ServiceIds.Contains)) errors["exemptServiceIds"] = staff.T("ErrExemptInScope");
        if (errors.Count > 0) return (null, errors);

        var request = new DeclareOutageRequest(OffsetTime.Format(start!.Value, zone), end is { } x ? OffsetTime.Format(x, zone) : null,
            OfficeIds, ServiceIds, ExemptServiceIds, Reason, PublicMessage, Notify, ConfirmLongWindow,
            PublicMessages: PublicMessages is { Count: > 0 } ? PublicMessages : null);
        foreach (var (field, _) in InputText.Check(request))
            errors.TryAdd(FieldOf(field), staff.T("ErrControlCharacters"));
        // The API's own rules as the last word: whatever they still refuse is shown under its field.
        var results = new DeclareOutageRequestValidator().Validate(request).Errors
            .Concat(new OutageScopeValidator(tenant).Validate(request).Errors);
        foreach (var failure in results)
            errors.TryAdd(FieldOf(failure.PropertyName), failure.ErrorMessage);
        return errors.Count > 0 ? (null, errors) : (request, errors);
    }

    static string FieldOf(string property) => property.StartsWith("publicMessages.", StringComparison.Ordinal) ? property : property.Split('[', '.')[0] switch
    {
        var p when p.Length > 0 => char.ToLowerInvariant(p[0]) + p[1..],
        _ => "form",
    };

    static DateTimeOffset? Parse(string text, TimeZoneInfo zone, string field, Dictionary<string, string> errors, StaffView staff)
    {
        if (text.Length == 0) { errors[field] = staff.T("ErrTimeRequired"); return null; }
        if (!LocalTime.TryParseInput(text, out var local))
        {
            errors[field] = staff.T("ErrTimeInvalid");
            return null;
        }
        return LocalTime.ToInstant(local, zone) is { } instant ? instant : Fail(staff.T("ErrTimeInGap"));

        DateTimeOffset? Fail(string message) { errors[field] = message; return null; }
    }
}

/// <summary>Wall-clock times of a zone, as the console's forms send them.</summary>
public static class LocalTime
{
    /// <summary>The instant of <paramref name="local"/> in <paramref name="zone"/>; null inside a DST gap; the earlier one when repeated.</summary>
    public static DateTimeOffset? ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) return null;
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>
    /// Reads a typed local time in either console language, "06.05.2021 07:00" (German) or "06/05/2021 07:00"
    /// (English, day first), with one-digit days, months and hours allowed, and the ISO form "2021-05-06T07:00"
    /// that older forms and scripts send. The separators tell the forms apart, so no input is ambiguous.
    /// </summary>
    public static bool TryParseInput(string text, out DateTime local) =>
        DateTime.TryParseExact(text.Trim(), Accepted, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out local);

    static readonly string[] Accepted =
    [
        DeclareForm.LocalFormat, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm",
        "d.M.yyyy H:mm", "d.M.yyyy, H:mm", "d.M.yyyy H:mm 'Uhr'", "d/M/yyyy H:mm", "d/M/yyyy, H:mm",
    ];

    /// <summary>The format the console's date fields show and ask for in <paramref name="staff"/>'s language.</summary>
    public static string InputFormat(StaffView staff) => staff.Language == "en" ? "dd'/'MM'/'yyyy HH:mm" : "dd.MM.yyyy HH:mm";

    public static string ForInput(DateTimeOffset utc, TimeZoneInfo zone, StaffView staff) =>
        TimeZoneInfo.ConvertTime(utc, zone).ToString(InputFormat(staff), CultureInfo.InvariantCulture);

    /// <summary>A form value as its field shows it: a readable time in the console's language, or the text as typed.</summary>
    public static string ForInput(string formValue, StaffView staff) =>
        TryParseInput(formValue, out var local) ? local.ToString(InputFormat(staff), CultureInfo.InvariantCulture) : formValue;
}
