using Rebooking;
using Rebooking.Api.Access;
using Rebooking.Api.Dashboard;
using Rebooking.Api.StaffConsole;
using Rebooking.Api.Http;
using Rebooking.Api.Notifications;
using Rebooking.Api.Operations;
using Rebooking.Api.Outages;
using Rebooking.Api.Rebookings;
using Rebooking.Api.Tenants;
using Rebooking.Api.Voice;
using Rebooking.Data;
using Rebooking.Operations;
using Rebooking.Worker;

if (StaffCommand.Matches(args))
{
    Environment.ExitCode = await StaffCommand.RunAsync(args);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddRebookingCore();
builder.AddStaffAuth();
builder.AddProblemAnswers();
builder.AddCitizenRateLimit();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents();
var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
if (builder.Configuration.GetValue<bool?>("Worker:InProcess") ?? database.ProviderOrDefault == DatabaseProvider.Sqlite)
    builder.AddRebookingWorker();

var app = builder.Build();
if (!StartupChecks.Passes(app.Services, Console.Error))
{
    Environment.ExitCode = 1;
    return;
}

await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealth();
app.MapTwilioWebhooks();
app.MapVoiceWebhooks();
app.MapRebookPages();
app.MapStatusPages();

var console = app.MapConsole();
console.MapStaffSignIn();
console.MapDashboard();
console.MapOutagePages();
console.MapHotline();

var api = app.MapGroup("/api");
api.MapApiKeys().WithValidation();
api.MapRegionalIncidents();
api.MapDevOutbox();
api.MapRebook();
var tenant = api.MapTenantScope();
tenant.MapTenants();
tenant.MapOutages();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
