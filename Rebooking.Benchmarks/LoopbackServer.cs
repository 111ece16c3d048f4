using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Rebooking.Benchmarks;

/// <summary>
/// The benchmarks' stand-in for a remote HTTP service (Twilio, a webhook receiver): an <see cref="HttpListener"/> on
/// 127.0.0.1 at the first free port from a given one that answers every request, each on a task of its own, with a
/// fixed status after a fixed latency, and counts the answers.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    /// <summary>Ports tried from the first one, before a busy machine is reported as an error.</summary>
    const int PortsToTry = 100;

    readonly HttpListener listener = new();
    readonly TimeSpan latency;
    readonly int status;
    readonly Func<int, string>? body;
    int answered;

    LoopbackServer(TimeSpan latency, int status, Func<int, string>? body) => (this.latency, this.status, this.body) = (latency, status, body);

    /// <summary><c>http://127.0.0.1:{port}</c>, without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>How many requests were answered so far.</summary>
    public int Answered => Volatile.Read(ref answered);

    /// <summary>With <see cref="KeepBodies"/>: the body of every request, as received.</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    public bool KeepBodies { get; set; }

    /// <summary>Called as each request arrives, before the latency (the latency benchmark stops its clock here).</summary>
    public Action? OnRequest { get; set; }

    /// <summary>
    /// Listens on the first free port from <paramref name="firstPort"/> and answers every request with
    /// <paramref name="status"/> after <paramref name="latency"/>; with <paramref name="body"/>, a JSON body made from
    /// the answer's number (1, 2, …), else none.
    /// </summary>
    public static LoopbackServer Start(int firstPort, TimeSpan latency, int status, Func<int, string>? body = null)
    {
        var server = new LoopbackServer(latency, status, body);
        for (var port = firstPort; ; port++)
        {
            try
            {
                server.listener.Prefixes.Clear();
                server.listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                server.listener.Start();
                server.BaseUrl = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (port < firstPort + PortsToTry)
            {
            }
        }
        _ = Task.Run(server.AcceptAsync);
        return server;
    }

    async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    async Task AnswerAsync(HttpListenerContext context)
    {
        if (KeepBodies)
        {
            using var reader = new StreamReader(context.Request.InputStream);
            Bodies.Enqueue(await reader.ReadToEndAsync());
        }
        else
        {
            await context.Request.InputStream.CopyToAsync(Stream.Null);
        }
        OnRequest?.Invoke();
        await Task.Delay(latency);
        var number = Interlocked.Increment(ref answered);
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body(number)));
        }
        context.Response.Close();
    }

    public void Dispose() => listener.Close();
}
