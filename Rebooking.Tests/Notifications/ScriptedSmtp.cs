using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Notifications;

/// <summary>
/// The real aiosmtpd (Debian's python3-aiosmtpd) on loopback, run by <c>smtp_scripted.py</c>: it can refuse the first
/// RCPT or DATA commands with a scripted reply, speak STARTTLS or implicit TLS with a self-signed certificate made
/// here, hold each DATA so sends overlap, and log every connection, QUIT and the most connections open at once.
/// </summary>
public sealed class ScriptedSmtp : IAsyncDisposable
{
    readonly Process process;
    readonly string directory;

    ScriptedSmtp(Process process, string directory, int port, X509Certificate2? certificate)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        Certificate = certificate;
    }

    public int Port { get; }

    /// <summary>The relay's self-signed certificate, when it speaks TLS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <param name="fail">e.g. <c>RCPT:451 4.3.0 try later</c>: the first <paramref name="failCount"/> such commands get this reply.</param>
    /// <param name="tls"><c>plain</c>, <c>starttls</c> (required before MAIL) or <c>implicit</c>.</param>
    /// <param name="hold">How long each DATA is held before the answer.</param>
    public static async Task<ScriptedSmtp> StartAsync(string? fail = null, int failCount = 1, string tls = "plain", TimeSpan hold = default)
    {
        var directory = Directory.CreateTempSubdirectory("rebooking-smtp-scripted-").FullName;
        var port = AppProcess.FreePort();
        var script = Path.Combine(AppContext.BaseDirectory, "Notifications", "smtp_scripted.py");
        List<string> arguments = [script, port.ToString(), directory, "--tls", tls, "--fail-count", failCount.ToString(),
            "--hold", hold.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (fail is not null) arguments.AddRange(["--fail", fail]);
        X509Certificate2? certificate = null;
        if (tls != "plain")
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            var now = DateTimeOffset.UtcNow;
            certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
            await File.WriteAllTextAsync(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
            arguments.AddRange(["--cert", Path.Combine(directory, "cert.pem"), "--key", Path.Combine(directory, "key.pem")]);
        }
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || await ready != "ready")
        {
            if (!process.HasExited) process.Kill(true);
            Assert.Fail("smtp_scripted.py did not start (apt-get install python3-aiosmtpd): " + await process.StandardError.ReadToEndAsync());
        }
        return new ScriptedSmtp(process, directory, port, certificate);
    }

    /// <summary>The raw messages the relay accepted, in order.</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.GetFiles(Path.Combine(directory, "mail"), "*.eml").Order().Select(File.ReadAllText).ToList();

    /// <summary>The events so far: connect, quit, lost, mail, peak N.</summary>
    public IReadOnlyList<string> Events() =>
        File.ReadAllLines(Path.Combine(directory, "events.log")).Where(l => l.Length > 0).ToList();

    /// <summary>The most connections that were open at once.</summary>
    public int PeakConnections() =>
        Events().Where(e => e.StartsWith("peak ", StringComparison.Ordinal)).Select(e => int.Parse(e[5..])).DefaultIfEmpty(0).Max();

    /// <summary>Waits until an event appears (the relay logs asynchronously to what the client sees).</summary>
    public async Task<int> CountEventuallyAsync(string name, int atLeast, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var count = Events().Count(e => e == name);
            if (count >= atLeast || watch.Elapsed > within) return count;
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(true);
        process.WaitForExit();
        process.Dispose();
        Certificate?.Dispose();
        try { Directory.Delete(directory, true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
