using FluentValidation;
using Rebooking.Tenants;

namespace Rebooking.Outages;

/// <summary>What defines an outage: window, scope, texts. Shared by tenant and regional declarations.</summary>
public interface IOutageDefinition
{
    string? Start { get; }
    /// <summary>Null: open-ended, rolled forward a day at a time until resolved.</summary>
    string? End { get; }
    IReadOnlyList<string>? OfficeIds { get; }
    IReadOnlyList<string>? ServiceIds { get; }
    IReadOnlyList<string>? ExemptServiceIds { get; }
    string? Reason { get; }
    string? PublicMessage { get; }
    /// <summary>Optional translations of <see cref="PublicMessage"/> (which stays the German one), by language: en, tr, uk, ar.</summary>
    IReadOnlyDictionary<string, string>? PublicMessages { get; }
    bool? Notify { get; }
    /// <summary>Must be true for a window longer than <see cref="OutageDefinitionValidator{T}.MaxWindowDays"/> days.</summary>
    bool? ConfirmLongWindow { get; }
}

/// <summary>Body of <c>POST .../outages</c> and <c>.../outages/preview</c>. Empty or absent id lists mean all.</summary>
public sealed record DeclareOutageRequest(
    string? Start, string? End, IReadOnlyList<string>? OfficeIds, IReadOnlyList<string>? ServiceIds,
    IReadOnlyList<string>? ExemptServiceIds, [property: AllowsLineBreaks] string? Reason, [property: AllowsLineBreaks] string? PublicMessage, bool? Notify = true,
    bool? ConfirmLongWindow = false, [property: AllowsLineBreaks] IReadOnlyDictionary<string, string>? PublicMessages = null) : IOutageDefinition;

/// <summary>Body of <c>POST /api/outages</c>: one outage in each of <see cref="Tenants"/>.</summary>
public sealed record DeclareRegionalOutageRequest(
    string? Start, string? End, IReadOnlyList<string>? OfficeIds, IReadOnlyList<string>? ServiceIds,
    IReadOnlyList<string>? ExemptServiceIds, [property: AllowsLineBreaks] string? Reason, [property: AllowsLineBreaks] string? PublicMessage, bool? Notify,
    bool? ConfirmLongWindow, IReadOnlyList<string>? Tenants, [property: AllowsLineBreaks] IReadOnlyDictionary<string, string>? PublicMessages = null) : IOutageDefinition
{
    public DeclareOutageRequest ForTenant() =>
        new(Start, End, OfficeIds, ServiceIds, ExemptServiceIds, Reason, PublicMessage, Notify, ConfirmLongWindow, PublicMessages);
}

/// <summary>The checks that need no tenant data: times with offsets, a sane window, bounded texts.</summary>
public class OutageDefinitionValidator<T> : AbstractValidator<T> where T : IOutageDefinition
{
    public const int MaxWindowDays = 31;
    public const int MaxPublicMessage = 300;

    /// <summary>The languages a public message may be translated into; German is <see cref="IOutageDefinition.PublicMessage"/> itself.</summary>
    public static readonly IReadOnlyList<string> TranslatedLanguages = ["en", "tr", "uk", "ar"];

    public OutageDefinitionValidator()
    {
        RuleFor(r => r.Start).NotEmpty().Must(s => OffsetTime.TryParse(s, out _)).WithMessage(Tenants.Import.Messages.NeedsOffset);
        RuleFor(r => r.End).Must(s => OffsetTime.TryParse(s, out _)).When(r => r.End is not null).WithMessage(Tenants.Import.Messages.NeedsOffset);
        RuleFor(r => r.End).Must((r, end) => Tenants.Import.Messages.EndsAfterStart(r.Start, end)).WithMessage("'end' must be after 'start'.")
            .When(r => OffsetTime.TryParse(r.Start, out _) && OffsetTime.TryParse(r.End, out _));
        RuleFor(r => r.End).Must((r, end) => r.ConfirmLongWindow == true || !IsLong(r.Start, end))
            .WithMessage($"The window is longer than {MaxWindowDays} days; send \"confirmLongWindow\": true if that is intended.")
            .When(r => Tenants.Import.Messages.EndsAfterStart(r.Start, r.End));
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
        RuleFor(r => r.PublicMessage).NotEmpty().MaximumLength(MaxPublicMessage);
        RuleFor(r => r.PublicMessages).Custom((messages, context) =>
        {
            foreach (var (language, message) in messages ?? new Dictionary<string, string>())
            {
                var field = $"publicMessages.{language}";
                if (!TranslatedLanguages.Contains(language))
                    context.AddFailure(field, $"'{language}' is not a language for translations; use one of {string.Join(", ", TranslatedLanguages)} (the German text is 'publicMessage').");
                else if (string.IsNullOrWhiteSpace(message))
                    context.AddFailure(field, "A translation must not be empty; leave the language out instead.");
                else if (message.Trim().Length > MaxPublicMessage)
                    context.AddFailure(field, $"The translation must be {MaxPublicMessage} characters or fewer.");
            }
        });
        RuleFor(r => r.OfficeIds).Must(Distinct).WithMessage("Office ids must not repeat.");
        RuleFor(r => r.ServiceIds).Must(Distinct).WithMessage("Service ids must not repeat.");
        RuleFor(r => r.ExemptServiceIds).Must(Distinct).WithMessage("Service ids must not repeat.");
        RuleForEach(r => r.ExemptServiceIds).Must((r, id) => r.ServiceIds is null || !r.ServiceIds.Contains(id))
            .WithMessage("Service '{PropertyValue}' cannot be both in scope and exempt.");
    }

    static bool Distinct(IReadOnlyList<string>? ids) => ids is null || ids.Distinct().Count() == ids.Count;

    static bool IsLong(string? start, string? end) =>
        OffsetTime.TryParse(start, out var s) && OffsetTime.TryParse(end, out var e) && OutageChanges.IsLongWindow(s, e);
}

public sealed class DeclareOutageRequestValidator : OutageDefinitionValidator<DeclareOutageRequest>;

public sealed class DeclareRegionalOutageRequestValidator : OutageDefinitionValidator<DeclareRegionalOutageRequest>
{
    public DeclareRegionalOutageRequestValidator()
    {
        RuleFor(r => r.Tenants).NotEmpty().WithMessage("Name the tenants the incident affects.");
        RuleForEach(r => r.Tenants).Must(TenantSlug.IsValid).WithMessage("'{PropertyValue}' is not a tenant slug.");
        RuleFor(r => r.Tenants).Must(t => t is null || t.Distinct().Count() == t.Count).WithMessage("Tenants must not repeat.");
    }
}

/// <summary>The checks against one tenant's master data: every office and service id must exist.</summary>
public sealed class OutageScopeValidator : AbstractValidator<IOutageDefinition>
{
    public OutageScopeValidator(TenantMasterData tenant)
    {
        RuleForEach(r => r.OfficeIds).Must(tenant.HasActiveOffice).WithMessage($"Unknown office '{{PropertyValue}}' in {tenant.Tenant.Id}.");
        RuleForEach(r => r.ServiceIds).Must(tenant.HasActiveService).WithMessage($"Unknown service '{{PropertyValue}}' in {tenant.Tenant.Id}.");
        RuleForEach(r => r.ExemptServiceIds).Must(tenant.HasActiveService).WithMessage($"Unknown service '{{PropertyValue}}' in {tenant.Tenant.Id}.");
    }
}

/// <summary>Body of <c>PATCH .../outages/{id}</c>: a new end (extend or shorten), or open-ended, and/or notify.</summary>
/// <param name="ConfirmLongWindow">Must be true for a new end more than <see cref="OutageDefinitionValidator{T}.MaxWindowDays"/> days after the start (<see cref="OutageChanges.CheckNewEnd"/>).</param>
public sealed record PatchOutageRequest(string? End, bool? OpenEnded, bool? Notify, [property: AllowsLineBreaks] string? PublicMessage, bool? ConfirmLongWindow = false);

public sealed class PatchOutageRequestValidator : AbstractValidator<PatchOutageRequest>
{
    public PatchOutageRequestValidator()
    {
        RuleFor(r => r.End).Must(s => OffsetTime.TryParse(s, out _)).When(r => r.End is not null).WithMessage(Tenants.Import.Messages.NeedsOffset);
        RuleFor(r => r.OpenEnded).Must(o => o != true).When(r => r.End is not null).WithMessage("Give either 'end' or \"openEnded\": true, not both.");
        RuleFor(r => r).Must(r => r.End is not null || r.OpenEnded == true || r.Notify is not null || r.PublicMessage is not null)
            .WithName("end").WithMessage("Give 'end', \"openEnded\": true, 'notify' or 'publicMessage'.");
        RuleFor(r => r.PublicMessage).NotEmpty().MaximumLength(OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage).When(r => r.PublicMessage is not null);
    }
}

/// <summary>Body of <c>POST .../outages/{id}/resolve</c>; absent or null <see cref="At"/> means now.</summary>
public sealed record ResolveOutageRequest(string? At);

public sealed class ResolveOutageRequestValidator : AbstractValidator<ResolveOutageRequest>
{
    public ResolveOutageRequestValidator() =>
        RuleFor(r => r.At).Must(s => OffsetTime.TryParse(s, out _)).When(r => r.At is not null).WithMessage(Tenants.Import.Messages.NeedsOffset);
}
