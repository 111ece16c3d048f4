using Rebooking;
using Rebooking.Api.Access;
using Rebooking.Api.Dashboard;
using Rebooking.Api.StaffConsole;
using Rebooking.Api.Http;
using Rebooking.Api.Integration;
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
builder.AddSharedKeyRing();
builder.AddDrain();
builder.AddProblemAnswers();
builder.AddTokenRedaction();
builder.AddSecurityHeaders();
builder.AddForwardedHeadersFromSettings();
builder.AddRateLimits();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents();
builder.AddHealth();
builder.AddJobsDashboard();
var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
if (builder.Configuration.GetValue<bool?>("Worker:InProcess") ?? database.ProviderOrDefault == DatabaseProvider.Sqlite)
    builder.AddRebookingWorker();
else if (database.ProviderOrDefault == DatabaseProvider.SqlServer)
    builder.AddRebookingJobClient();

var app = builder.Build();
if (!StartupChecks.Passes(app.Services, Console.Error))
{
    Environment.ExitCode = 1;
    return;
}

await app.PrepareDatabaseAsync();

app.UseTokenRedaction();
app.UseSecurityHeaders();
app.UseForwardedHeadersFromSettings();
app.UseRouting(); // explicitly after the redaction middleware, so routes see the real path
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealth();
app.MapProbes();
app.MapJobsDashboard();
app.MapTwilioWebhooks();
app.MapVoiceWebhooks();
app.MapRebookPages();
app.MapStatusPages();

var console = app.MapConsole();
console.MapStaffSignIn();
console.MapAccountPages();
console.MapDashboard();
console.MapOutagePages();
console.MapHotline();
console.MapWebhookPages();

var api = app.MapGroup("/api");
api.MapApiKeys().WithValidation();
api.MapKeyRing();
api.MapRegionalIncidents();
api.MapDevOutbox();
api.MapRebook();
var tenant = api.MapTenantScope();
tenant.MapTenants();
tenant.MapOutages();
tenant.MapChanges();
tenant.MapWebhooks();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
