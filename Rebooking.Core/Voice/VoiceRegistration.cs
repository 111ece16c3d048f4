using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rebooking.Notifications;

namespace Rebooking.Voice;

public static class VoiceRegistration
{
    /// <summary>
    /// The voice channel: <c>Voice:*</c> validated at start, and a Twilio caller when <c>Voice:Enabled</c> is true,
    /// Twilio is configured and <c>Twilio:VoiceFrom</c> is set. Calls use the SMS channel's HTTP client and credentials.
    /// </summary>
    public static IHostApplicationBuilder AddVoice(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<VoiceOptions>().Bind(config.GetSection(VoiceOptions.Section))
            .Validate(o => CallingHours.TryParse(o.Hours, out _), "Voice:Hours must look like 'Mon-Sat 09:00-19:00' (days Mon..Sun, times hh:mm, end after start; ';' between windows).")
            .Validate(o => o.MaxAttempts >= 1, "Voice:MaxAttempts must be at least 1.")
            .Validate(o => o.RetryAfter > TimeSpan.Zero, "Voice:RetryAfter must be a positive duration.")
            .Validate(o => o.RatePerSecond >= 0, "Voice:RatePerSecond must not be negative (0 = no limit).")
            .Validate(o => o.Lease > TimeSpan.Zero, "Voice:Lease must be a positive duration.")
            .Validate(o => o.CallTimeout > TimeSpan.Zero, "Voice:CallTimeout must be a positive duration.")
            .Validate(o => VoiceLanguages.AreValid(o.Voices), VoiceLanguages.InvalidMessage)
            .Validate(o => !o.Enabled || IsConfigured(config), "Voice:Enabled needs Twilio configured and Twilio:VoiceFrom set to a number of the account in E.164 (+4920...).")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var twilio = sp.GetRequiredService<TwilioOptions>();
            var enabled = config.GetValue<bool>($"{VoiceOptions.Section}:{nameof(VoiceOptions.Enabled)}");
            if (!enabled || !IsConfigured(config)) return new VoiceCallerSetup(null);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TwilioSmsChannel));
            return new VoiceCallerSetup(new TwilioVoiceCaller(TwilioSmsChannel.CreateClient(http, twilio), twilio.VoiceFrom!));
        });
        services.AddSingleton<VoiceHandoff>();
        services.AddSingleton(sp => new VoiceLanguages(sp.GetRequiredService<IOptions<VoiceOptions>>().Value.Voices));
        services.AddSingleton<VoiceConversation>();
        services.AddSingleton<VoiceDialer>();
        services.AddSingleton<VoiceReports>();
        return builder;
    }

    static bool IsConfigured(IConfiguration config)
    {
        var twilio = config.GetSection(TwilioOptions.Section).Get<TwilioOptions>() ?? new TwilioOptions();
        return twilio.IsConfigured && twilio.VoiceFrom is { } from && System.Text.RegularExpressions.Regex.IsMatch(from, @"^\+[1-9]\d{6,14}$");
    }
}
