using System.Net.Http.Json;
using System.Text.Json;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Operations;

/// <summary>Options are validated when a real process starts: a mistake stops it with exit code ≠ 0 and one line naming the key.</summary>
public sealed class StartupOptionsTests
{
    const string TwilioAccount = "AC0123456789abcdef0123456789abcdef";

    static IEnumerable<TestCaseData> Mistakes()
    {
        yield return Case("Outages:BatchSize", ("Outages__BatchSize", "0")).SetName("BatchSizeZero_WouldLoopForever_StopsTheApi");
        yield return Case("Outages:Lease", ("Outages__Lease", "-00:00:30")).SetName("NegativeOutageLease_StopsTheApi");
        yield return Case("Database:Provider", ("Database__Provider", "postgres")).SetName("UnknownProvider_StopsTheApi");
        yield return Case("Rebooking:PublicBaseUrl", ("Rebooking__PublicBaseUrl", "termine.velbert.de")).SetName("RelativePublicBaseUrl_StopsTheApi");
        yield return Case("Notifications:BaseBackoff", ("Notifications__BaseBackoff", "-00:00:10")).SetName("NegativeBackoff_StopsTheApi");
        yield return Case("Smtp:RatePerSecond", ("Smtp__RatePerSecond", "-5")).SetName("NegativeMailRate_StopsTheApi");
        yield return Case("Twilio:From", ("Twilio__AccountSid", TwilioAccount), ("Twilio__AuthToken", "token"))
            .SetName("TwilioAccountWithoutASender_StopsTheApi");
        yield return Case("Twilio:RatePerSecond", ("Twilio__AccountSid", TwilioAccount), ("Twilio__AuthToken", "token"), ("Twilio__From", "Buergeramt"),
            ("Twilio__RatePerSecond", "-1")).SetName("NegativeSmsRate_StopsTheApi");
        yield return Case("Voice:Hours", ("Voice__Hours", "Mo-Sa 9-19")).SetName("UnreadableCallingHours_StopsTheApi");
        yield return Case("Voice:Enabled", ("Voice__Enabled", "true"), ("Twilio__AccountSid", TwilioAccount), ("Twilio__AuthToken", "token"), ("Twilio__From", "Buergeramt"))
            .SetName("CallsWithoutAVoiceNumber_StopTheApi");
        yield return Case("Voice:Voices", ("Voice__Voices__uk", "Google.uk-UA-Wavenet-A")).SetName("AVoiceOverrideWithoutItsSayLanguage_StopsTheApi");
        yield return Case("Voice:Voices", ("Voice__Voices__fr", "fr-FR|Polly.Lea")).SetName("AVoiceOverrideForALanguageCitizensCannotHave_StopsTheApi");
        yield return Case("Outages:BatchSize", ("Outages__BatchSize", "0")).SetName("BatchSizeZero_StopsTheWorker").SetProperty("Project", "Rebooking.Worker");
    }

    static TestCaseData Case(string key, params (string Name, string Value)[] environment) => new(key, environment);

    [TestCaseSource(nameof(Mistakes))]
    public async Task AMistake_StopsTheProcessWithOneLineNamingTheKey_AndCreatesNothing(string key, (string Name, string Value)[] environment)
    {
        var project = TestContext.CurrentContext.Test.Properties.Get("Project") as string ?? "Rebooking.Api";
        var directory = Directory.CreateTempSubdirectory("rebooking-options-").FullName;
        try
        {
            var (exitCode, output) = await AppProcess.RunAsync(project, directory, environment.ToDictionary(e => e.Name, e => (string?)e.Value), null);

            Assert.That(exitCode, Is.Not.Zero, output);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var errors = lines.Where(l => l.StartsWith("Configuration error:", StringComparison.Ordinal)).ToList();
            Assert.That(errors, Has.Count.EqualTo(1), output);
            Assert.That(errors[0], Does.Contain(key));
            Assert.That(lines, Has.None.StartsWith("at "), "no stack trace: " + output);
            Assert.That(Directory.Exists(Path.Combine(directory, "data")), Is.False, "nothing was created before the check");
        }
        finally
        {
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    [Test]
    public async Task ProviderNames_AreCaseInsensitive_SQLiteStillHostsTheWorker()
    {
        var directory = Directory.CreateTempSubdirectory("rebooking-options-").FullName;
        var baseUrl = $"http://127.0.0.1:{AppProcess.FreePort()}";
        await using (var api = AppProcess.Start("Rebooking.Api", directory, new Dictionary<string, string?> { ["Database__Provider"] = "SQLite" }, "--urls", baseUrl))
        {
            await api.WaitForHealthyAsync(baseUrl + "/health", TimeSpan.FromSeconds(60));
            using var client = new HttpClient();
            var health = await client.GetFromJsonAsync<JsonElement>(baseUrl + "/health");
            Assert.That(health.GetProperty("scheduler").GetString(), Is.EqualTo("running"), "'SQLite' is sqlite: the in-process worker runs");
        }
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }
}
