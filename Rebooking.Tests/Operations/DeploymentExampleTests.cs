using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Rebooking.Tests.Operations;

/// <summary>The example in deploy/: systemd units that systemd accepts, an environment file and a proxy snippet that fit the code.</summary>
public sealed partial class DeploymentExampleTests
{
    static string Deploy()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Rebooking.sln"))) root = root.Parent;
        return Path.Combine(root!.FullName, "deploy");
    }

    [Test]
    public async Task TheApiUnitAndTheWorkerTemplate_PassSystemdAnalyzeVerify_WithoutAWarning()
    {
        var tool = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (tool is null) Assert.Ignore("systemd-analyze is not installed here (apt package systemd); the units were not checked.");
        if (!File.Exists("/usr/bin/dotnet")) Assert.Ignore("The units start /usr/bin/dotnet, which this machine does not have, so verify would refuse them.");
        var info = new ProcessStartInfo(tool!) { WorkingDirectory = Deploy(), RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("verify");
        info.ArgumentList.Add("rebooking-api.service");
        info.ArgumentList.Add("rebooking-worker@.service");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var said = (await output + await errors).Trim();
        Assert.That(process.ExitCode, Is.Zero, said);
        Assert.That(said, Is.Empty, "systemd has nothing to say about the units: no unknown keys, no values it would ignore");
    }

    [Test]
    public void TheUnitsStopTimeout_CoversTheDrainOfTheEnvironmentFile()
    {
        var environment = File.ReadAllLines(Path.Combine(Deploy(), "rebooking.env"))
            .Where(l => l.Contains('=') && !l.StartsWith('#')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        var drain = TimeSpan.Parse(environment["Drain__Delay"], System.Globalization.CultureInfo.InvariantCulture)
            + TimeSpan.Parse(environment["Drain__GraceTime"], System.Globalization.CultureInfo.InvariantCulture);
        var unit = File.ReadAllText(Path.Combine(Deploy(), "rebooking-api.service"));
        var stop = TimeSpan.FromSeconds(int.Parse(StopTimeout().Match(unit).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(stop, Is.GreaterThan(drain + TimeSpan.FromSeconds(5)), "systemd would kill the Api in the middle of its drain");
        Assert.That(environment["Worker__InProcess"], Is.EqualTo("false"), "the workers run as their own units");
        Assert.That(unit, Does.Contain("EnvironmentFile=/etc/rebooking/rebooking.env"));
        Assert.That(File.ReadAllText(Path.Combine(Deploy(), "rebooking-worker@.service")), Does.Contain("EnvironmentFile=/etc/rebooking/rebooking.env"));
    }

    [Test]
    public void TheNginxSnippet_ForwardsClientAddressSchemeAndHost_AndNamesTheReadinessProbe()
    {
        var nginx = File.ReadAllText(Path.Combine(Deploy(), "nginx-rebooking.conf"));

        Assert.That(nginx, Does.Contain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"));
        Assert.That(nginx, Does.Contain("proxy_set_header X-Forwarded-Proto $scheme;"));
        Assert.That(nginx, Does.Contain("proxy_set_header Host $host;"));
        Assert.That(nginx, Does.Contain("/health/ready"));
        Assert.That(nginx, Does.Contain("ForwardedHeaders:*"));
    }

    [GeneratedRegex(@"^TimeoutStopSec=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex StopTimeout();
}
