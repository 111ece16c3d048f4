namespace Rebooking.Worker.Jobs;

/// <summary>
/// How every job runs its work: nothing escapes into Hangfire, so Hangfire never retries and never stores an
/// exception text (which could name a citizen); a failure is logged and the work stays recorded in our tables
/// for the next signal or sweep. The work is cancelled when Hangfire's shutdown token fires or when the host
/// starts stopping (SIGTERM): the work classes then end their current transaction and hand their leases back,
/// instead of running on until the shutdown timeout cuts them off.
/// </summary>
internal static class JobRun
{
    public static async Task Safely(Func<CancellationToken, Task<int>> work, ILogger logger, string what, IHostApplicationLifetime host,
        CancellationToken ct)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, host.ApplicationStopping);
        try
        {
            await work(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogInformation("{Work} stopped for shutdown; its leases were handed back", what);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Work} failed; the next signal or sweep retries", what);
        }
    }
}
