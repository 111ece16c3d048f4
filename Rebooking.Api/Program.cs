using Rebooking;
using Rebooking.Api.Access;
using Rebooking.Api.Http;
using Rebooking.Api.Operations;
using Rebooking.Api.Tenants;

var builder = WebApplication.CreateBuilder(args);

builder.AddRebookingCore();
builder.AddStaffAuth();
builder.AddProblemAnswers();
builder.Services.AddOpenApi();

var app = builder.Build();

await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealth();

var api = app.MapGroup("/api");
api.MapApiKeys().WithValidation();
api.MapTenantScope().MapTenants();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
