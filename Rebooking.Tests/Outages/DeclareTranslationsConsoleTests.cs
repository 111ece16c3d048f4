using System.Net;
using Rebooking.Access;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Outages;

/// <summary>The console's declare form offers the public message in more languages, folded away by default.</summary>
public sealed class DeclareTranslationsConsoleTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Roles.Clerk, "velbert");
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    static async Task<string> Html(HttpResponseMessage answer) => WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

    [Test]
    public async Task TheTranslations_AreFoldedAway_ThenCarriedThroughThePreview_AndStored()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var form = await Html(await clerk.Client.GetAsync("/staff/tenants/velbert/outages/new"));
        Assert.That(form, Does.Contain("<details class=\"translations\">"), "folded away by default (no open attribute)");
        Assert.That(form, Does.Contain("name=\"publicMessages.tr\"").And.Contain("name=\"publicMessages.uk\"").And.Contain("name=\"publicMessages.ar\"").And.Contain("name=\"publicMessages.en\""));

        (string, string)[] fields =
        [
            ("start", "2021-05-06T07:00"), ("end", "2021-05-06T18:00"), ("reason", "USV defekt"), ("publicMessage", "Ihr Termin fällt aus."),
            ("publicMessages.tr", "Randevunuz yapılamıyor."), ("publicMessages.ar", "أُلغي موعدك."), ("publicMessages.uk", ""), ("notify", "true"),
        ];
        var preview = await Html(await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages/preview", fields));
        Assert.That(preview, Does.Contain("name=\"publicMessages.tr\" value=\"Randevunuz yapılamıyor.\"").And.Contain("<p lang=\"ar\" dir=\"rtl\">أُلغي موعدك.</p>"));
        Assert.That(preview, Does.Not.Contain("name=\"publicMessages.uk\""), "an empty translation is left out");

        var declared = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages", fields);

        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await app.ScalarAsync<string>("SELECT message FROM outage_messages WHERE language = 'tr'"), Is.EqualTo("Randevunuz yapılamıyor."));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outage_messages"), Is.EqualTo(2));
    }

    [Test]
    public async Task ATooLongTranslation_IsShownUnderItsField_AndTheFoldIsOpen()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var answer = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages",
            ("start", "2021-05-06T07:00"), ("end", "2021-05-06T18:00"), ("reason", "x"), ("publicMessage", "y"), ("publicMessages.uk", new string('ж', 301)));
        var page = await Html(answer);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page, Does.Contain("<details class=\"translations\" open"));
        Assert.That(page, Does.Contain("id=\"publicMessages.uk-error\">Die Nachricht darf höchstens 300 Zeichen lang sein."));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero);
    }
}
