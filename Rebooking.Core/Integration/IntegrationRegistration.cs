using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Rebooking.Integration;

public static class IntegrationRegistration
{
    /// <summary>The change feed, webhooks and their delivery engine; <c>Webhooks:*</c> is validated at start.</summary>
    public static IHostApplicationBuilder AddIntegration(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton(sp => new WebhookAddressPolicy(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookDispatcher>();
        return builder;
    }

    /// <summary>Names every problem at start, not just "invalid".</summary>
    sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
