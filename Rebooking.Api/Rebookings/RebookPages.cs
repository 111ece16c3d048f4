using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rebooking.Api.Http;
using Rebooking.Rebookings;

namespace Rebooking.Api.Rebookings;

/// <summary>
/// The citizen's page, <c>/r/{token}</c>: GET shows, the two forms POST and redirect back (post/redirect/get),
/// so a reload never books twice. Every answer carries a strict Content-Security-Policy, noindex and
/// no-referrer (the token must not leak to other sites), and is not cached.
/// </summary>
public static class RebookPages
{
    public static IEndpointRouteBuilder MapRebookPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/r/{token}").WithTags("Citizens").AllowAnonymous().RequireRateLimiting(RateLimits.Citizens)
            .AddEndpointFilter(async (context, next) =>
            {
                PageHeaders.Set(context.HttpContext.Response,
                    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'", "no-referrer");
                return await next(context);
            })
            .AddEndpointFilter(FormTokens.Require);
        group.MapGet("", Show).ExcludeFromDescription();
        group.MapPost("/book", Book).ExcludeFromDescription();
        group.MapPost("/decline", Decline).ExcludeFromDescription();
        app.MapGet("/assets/rebook.css", () => Results.Text(Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
        return app;
    }


    /// <summary><paramref name="view"/>: change or cancel, the two steps a rebooked appointment offers (GETs change nothing).</summary>
    static async Task<RazorComponentResult<RebookPage>> Show(string token, string? lang, string? view, CitizenRebooking rebooking, CancellationToken ct) =>
        await RenderAsync(token, lang, rebooking, slotGone: false, ct, view);

    /// <param name="changedElsewhere">The form was sent from a page showing an older state (another tab acted first): 409 with the current state and a notice.</param>
    static async Task<RazorComponentResult<RebookPage>> RenderAsync(string token, string? lang, CitizenRebooking rebooking, bool slotGone, CancellationToken ct,
        string? view = null, bool changedElsewhere = false)
    {
        var (state, booking) = await rebooking.FindAsync(token, ct);
        var language = RebookPageModel.PickLanguage(lang, booking?.Language);
        if (state == LinkState.Unknown)
            return Page(RebookPageModel.For(language, "unknown", token, null, [], null), StatusCodes.Status404NotFound);
        if (state == LinkState.Expired)
            return Page(RebookPageModel.For(language, "expired", token, booking, [], null), StatusCodes.Status410Gone);
        var canChange = rebooking.CanChange(booking!);
        var pageState = booking!.Outcome == "rebooked" && canChange && (view is "change" or "cancel" || slotGone) ? (slotGone ? "change" : view!) : booking.Outcome;
        var offers = pageState is "open" or "change" ? await rebooking.OffersAsync(booking, ct) : [];
        var appointment = await rebooking.NewAppointmentAsync(booking, ct);
        var model = RebookPageModel.For(language, pageState, token, booking, offers, appointment, slotGone, canChange ? rebooking.ChangeUntil(booking) : null);
        return Page(model with { ChangedElsewhere = changedElsewhere },
            slotGone || changedElsewhere ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);
    }

    static RazorComponentResult<RebookPage> Page(RebookPageModel model, int status) =>
        new(new Dictionary<string, object?> { [nameof(RebookPage.Model)] = model }) { StatusCode = status };

    /// <summary>
    /// The form's slot; antiforgery is checked by the framework for every form post. On a rebooked link this
    /// changes the appointment; too late or changed in another tab meanwhile: back to the page, which shows
    /// what holds now.
    /// </summary>
    static async Task<IResult> Book(string token, string? lang, [FromForm] string? slotId, [FromForm] int? version, CitizenRebooking rebooking, CancellationToken ct)
    {
        if (!long.TryParse(slotId, out var id)) return await RenderAsync(token, lang, rebooking, slotGone: true, ct);
        var (outcome, _, _) = await rebooking.BookAsync(token, id, version, ct);
        return outcome switch
        {
            BookingOutcome.SlotGone => await RenderAsync(token, lang, rebooking, slotGone: true, ct),
            BookingOutcome.AlreadyDecided => await RenderAsync(token, lang, rebooking, slotGone: false, ct, changedElsewhere: true),
            _ => BackToPage(token, lang),
        };
    }

    /// <summary>Binds no form field; the group's <see cref="FormTokens.Require"/> checks the form's token all the same.</summary>
    static async Task<IResult> Decline(string token, string? lang, CitizenRebooking rebooking, CancellationToken ct)
    {
        await rebooking.DeclineAsync(token, ct);
        return BackToPage(token, lang);
    }

    /// <summary>Post/redirect/get back to the page; the token is escaped and the redirect is not logged.</summary>
    static SeeOther BackToPage(string token, string? lang) =>
        new($"/r/{Uri.EscapeDataString(token)}?lang={RebookPageModel.PickLanguage(lang, null)}");

    // Mobile first; tap targets of at least 48 px; contrast above 4.5:1; a visible focus ring.
    const string Stylesheet = """
        :root { --ink: #1a1a1a; --accent: #0b4f8a; --soft: #eef3f8; --line: #5f6b76; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1.125rem; line-height: 1.5; color: var(--ink); background: #fff; }
        header, main, footer { max-width: 40rem; margin: 0 auto; padding: 1rem; }
        header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; border-bottom: 1px solid var(--line); }
        .tenant { font-weight: 700; margin: 0; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
        header { flex-wrap: wrap; }
        .languages ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 0.25rem; }
        .languages a { display: inline-block; min-height: 48px; min-width: 48px; padding: 0.6rem 0.5rem; }
        .actions { display: grid; gap: 0.75rem; margin-top: 1rem; }
        a.button { display: block; min-height: 56px; padding: 0.9rem 1rem; border: 2px solid var(--accent); border-radius: 6px; text-decoration: none; font-weight: 600; }
        a.button.primary { background: var(--accent); color: #fff; }
        .skip { position: absolute; inset-inline-start: -999px; }
        .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .skip:focus { inset-inline-start: 1rem; inset-block-start: 1rem; background: #fff; padding: 0.5rem; z-index: 1; }
        h1 { font-size: 1.6rem; line-height: 1.25; }
        h2 { font-size: 1.25rem; margin-top: 2rem; }
        h3 { font-size: 1.1rem; margin-bottom: 0.5rem; }
        .message, .appointment { background: var(--soft); padding: 0.75rem 1rem; border-radius: 6px; }
        .notice { border-inline-start: 6px solid #b35900; padding: 0.5rem 1rem; background: #fff4e5; }
        dl { margin: 0; }
        dt { font-weight: 600; margin-top: 0.5rem; } dd { margin: 0; }
        .appointment h2 { margin-top: 0.25rem; }
        .offers { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
        form { margin: 0; }
        button { font: inherit; width: 100%; min-height: 56px; padding: 0.75rem 1rem; border-radius: 6px; cursor: pointer;
                 border: 2px solid var(--accent); background: var(--accent); color: #fff; text-align: start; }
        button .time { font-weight: 700; }
        button.secondary { background: #fff; color: var(--accent); }
        footer { border-top: 1px solid var(--line); margin-top: 2rem; }
        @media (min-width: 30rem) { dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; } dt { margin-top: 0; } }
        @media (min-width: 48rem) { .offers { grid-template-columns: 1fr 1fr; } }
        """;
}
