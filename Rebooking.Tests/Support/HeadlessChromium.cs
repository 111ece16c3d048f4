using System.Text.Json;
using Microsoft.Playwright;

namespace Rebooking.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), axe-core from npm checking WCAG 2.1
/// A and AA, screenshots kept in artifacts/screenshots.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    static readonly string[] Flags =
        ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    readonly IPlaywright playwright;
    readonly IBrowser browser;

    HeadlessChromium(IPlaywright playwright, IBrowser browser) => (this.playwright, this.browser) = (playwright, browser);

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.That(File.Exists("/usr/bin/chromium"), Is.True, "Debian's chromium is needed (./test.sh installs it)");
        Assert.That(File.Exists(AxePath), Is.True, "axe-core is needed (./test.sh runs npm ci in Rebooking.Tests/browser)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = Flags });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>A phone-sized page (360 px) or a desktop one (1280 px) in a fresh context. CSP is bypassed only so axe can be injected.</summary>
    public async Task<IPage> OpenAsync(string url, int width = 360, IBrowserContext? context = null)
    {
        context ??= await NewContextAsync(width);
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>A browser context (its own cookies), e.g. one signed-in staff member.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280) =>
        browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 800 }, BypassCSP = true, Locale = "de-DE", AcceptDownloads = true });

    public static string RepositoryRoot => Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(AppProcess.BuildOutput("Rebooking.Api")))!)!
        is var bin ? Path.GetFullPath(Path.Combine(bin, "..", "..")) : "";

    static string AxePath => Path.Combine(RepositoryRoot, "Rebooking.Tests", "browser", "node_modules", "axe-core", "axe.min.js");

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{page.ViewportSize!.Width}.png"), FullPage = true });
    }

    /// <summary>Runs axe-core for WCAG 2.0/2.1 A and AA and fails with each violation's rule and nodes.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string state)
    {
        await page.AddScriptTagAsync(new() { Path = AxePath });
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })");
        var violations = result.GetProperty("violations").EnumerateArray()
            .Select(v => $"{v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} @ " +
                string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("html").GetString())))
            .ToList();
        Assert.That(violations, Is.Empty, $"axe on the {state} page");
        Assert.That(result.GetProperty("testEngine").GetProperty("name").GetString(), Is.EqualTo("axe-core"));
        Assert.That(result.GetProperty("passes").GetArrayLength(), Is.GreaterThan(0), "axe actually ran its rules");
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
