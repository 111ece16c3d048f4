using FluentValidation;
using Rebooking.Tenants;

namespace Rebooking.Access;

public sealed class AddStaffRequestValidator : AbstractValidator<AddStaffRequest>
{
    public const int MinPasswordLength = PasswordPolicy.MinLength;

    public AddStaffRequestValidator()
    {
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Role).NotEmpty().Must(Roles.IsKnown).WithMessage("'role' must be admin, clerk or supervisor.");
        RuleFor(r => r.Tenant).NotEmpty()
            .Must(t => t == Roles.AllTenants || TenantSlug.IsValid(t)).WithMessage("'tenant' must be a tenant slug or '*'.");
        RuleFor(r => r.Tenant).Must((r, t) => t != Roles.AllTenants || r.Role == Roles.Admin)
            .WithMessage("Only admins may act for all tenants ('*').");
        // NIST SP 800-63B: length and a list of common passwords, not composition rules.
        RuleFor(r => r.Password).Custom((password, context) =>
        {
            if (PasswordPolicy.Problem(password, context.InstanceToValidate.Email) is { } problem)
                context.AddFailure(PasswordPolicy.Describe(problem));
        });
    }
}
