using Rebooking.Data;
using Rebooking.Operations;

namespace Rebooking.Worker;

/// <summary>A worker process: runs the background jobs against the shared database. Start as many as needed.</summary>
public static class WorkerProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddRebookingCore();
        builder.AddRebookingWorker();
        using var host = builder.Build();
        if (!StartupChecks.Passes(host.Services, Console.Error)) return 1;
        await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        await host.RunAsync();
        return 0;
    }
}
