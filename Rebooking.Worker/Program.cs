using Rebooking.Data;

namespace Rebooking.Worker;

/// <summary>A worker process: runs the background jobs against the shared database. Start as many as needed.</summary>
public static class WorkerProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddRebookingCore();
        builder.AddRebookingWorker();
        using var host = builder.Build();
        await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        await host.RunAsync();
    }
}
