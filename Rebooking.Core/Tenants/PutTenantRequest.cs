using FluentValidation;

namespace Rebooking.Tenants;

/// <summary>Body of <c>PUT /api/tenants/{tenant}</c>: creates or replaces the tenant's master data.</summary>
public sealed record PutTenantRequest(
    string? Name,
    string? TimeZone,
    string? DefaultCountryCode,
    ContactRequest? Contact,
    IReadOnlyList<OfficeRequest>? Offices,
    IReadOnlyList<ServiceRequest>? Services);

public sealed record ContactRequest(string? Phone, string? Email, string? Web);

public sealed record OfficeRequest(string? Id, string? Name, string? Address);

public sealed record ServiceRequest(string? Id, string? Name, int? DurationMinutes);

/// <summary>Ids that come from the appointment system: letters, digits, '-', '_' and '.', up to 64.</summary>
public static class ExternalId
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
}

public sealed class PutTenantRequestValidator : AbstractValidator<PutTenantRequest>
{
    public PutTenantRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.TimeZone).NotEmpty()
            .Must(OffsetTime.IsKnownZone).WithMessage("'{PropertyValue}' is not a known IANA time zone such as Europe/Berlin.");
        RuleFor(r => r.DefaultCountryCode).NotEmpty().Matches("^[1-9][0-9]{0,2}$")
            .WithMessage("Give the country calling code without '+' or '00', for example 49.");
        RuleFor(r => r.Contact!).SetValidator(new ContactRequestValidator()).When(r => r.Contact is not null);
        RuleFor(r => r.Offices).NotEmpty().WithMessage("A tenant needs at least one office.");
        RuleForEach(r => r.Offices).SetValidator(new OfficeRequestValidator());
        RuleFor(r => r.Offices).Must(UniqueIds).WithMessage("Office ids must be unique.").When(r => r.Offices is not null);
        RuleFor(r => r.Services).NotEmpty().WithMessage("A tenant needs at least one service.");
        RuleForEach(r => r.Services).SetValidator(new ServiceRequestValidator());
        RuleFor(r => r.Services).Must(UniqueIds).WithMessage("Service ids must be unique.").When(r => r.Services is not null);
    }

    static bool UniqueIds(IReadOnlyList<OfficeRequest>? offices) =>
        offices is null || offices.Select(o => o.Id).Distinct().Count() == offices.Count;

    static bool UniqueIds(IReadOnlyList<ServiceRequest>? services) =>
        services is null || services.Select(s => s.Id).Distinct().Count() == services.Count;
}

public sealed class ContactRequestValidator : AbstractValidator<ContactRequest>
{
    public ContactRequestValidator()
    {
        RuleFor(c => c.Phone).MaximumLength(50);
        RuleFor(c => c.Email).MaximumLength(254).Must(Contact.IsEmail!).When(c => !string.IsNullOrEmpty(c.Email))
            .WithMessage("'{PropertyValue}' is not an email address.");
        RuleFor(c => c.Web).MaximumLength(500)
            .Must(w => Uri.TryCreate(w, UriKind.Absolute, out var u) && (u.Scheme == "https" || u.Scheme == "http"))
            .When(c => !string.IsNullOrEmpty(c.Web))
            .WithMessage("Give an absolute http(s) address.");
    }
}

public sealed class OfficeRequestValidator : AbstractValidator<OfficeRequest>
{
    public OfficeRequestValidator()
    {
        RuleFor(o => o.Id).NotEmpty().Matches(ExternalId.Pattern);
        RuleFor(o => o.Name).NotEmpty().MaximumLength(200);
        RuleFor(o => o.Address).MaximumLength(300);
    }
}

public sealed class ServiceRequestValidator : AbstractValidator<ServiceRequest>
{
    public ServiceRequestValidator()
    {
        RuleFor(s => s.Id).NotEmpty().Matches(ExternalId.Pattern);
        RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
        RuleFor(s => s.DurationMinutes).NotNull().InclusiveBetween(1, 480);
    }
}

/// <summary>Checks on contact data shared by tenants and bookings.</summary>
public static class Contact
{
    /// <summary>A plausible single address: one '@', a dot in the domain, no spaces or display name.</summary>
    public static bool IsEmail(string email)
    {
        if (email.Length > 254 || email.Any(char.IsWhiteSpace)) return false;
        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@')) return false;
        var domain = email[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
            && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
    }
}
