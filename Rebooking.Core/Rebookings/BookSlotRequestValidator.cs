using FluentValidation;

namespace Rebooking.Rebookings;

public sealed class BookSlotRequestValidator : AbstractValidator<BookSlotRequest>
{
    public BookSlotRequestValidator()
    {
        RuleFor(r => r.SlotId).NotEmpty().Must(id => long.TryParse(id, out var n) && n > 0).WithMessage("'slotId' must be one of the offered slot ids.");
        RuleFor(r => r.Version).GreaterThanOrEqualTo(0).When(r => r.Version is not null).WithMessage("'version' must be the version the link showed (0 or more).");
    }
}
