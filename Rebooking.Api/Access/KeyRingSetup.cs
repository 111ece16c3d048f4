using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Rebooking.Access;

namespace Rebooking.Api.Access;

public static class KeyRingSetup
{
    /// <summary>One name for every host, whatever its path: the framework isolates key use by application name.</summary>
    public const string ApplicationName = "Rebooking";

    /// <summary>
    /// Data protection for several hosts: one application name, the key ring in our database
    /// (<see cref="DataProtectionKeyRepository"/>), keys encrypted at rest with the configured certificate, and
    /// <see cref="SharedKeyRing"/> so each host notices keys another host added.
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings are invalid or the certificate cannot be loaded.</exception>
    public static IHostApplicationBuilder AddSharedKeyRing(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(KeyRingOptions.Section);
        var settings = section.Get<KeyRingOptions>() ?? new KeyRingOptions();
        var errors = settings.Errors().ToList();
        if (errors.Count > 0) throw new OptionsValidationException(KeyRingOptions.Section, typeof(KeyRingOptions), errors);
        var services = builder.Services;
        services.AddOptions<KeyRingOptions>().Bind(section);

        var protection = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .SetDefaultKeyLifetime(settings.KeyLifetime);
        var certificate = LoadCertificate(settings);
        if (certificate is not null) protection.ProtectKeysWithCertificate(certificate);

        services.AddSingleton<DataProtectionKeyRepository>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyRepository>((options, repository) => options.XmlRepository = repository);

        var framework = services.LastOrDefault(d => d.ServiceType == typeof(IKeyManager))
            ?? throw new InvalidOperationException("AddDataProtection registered no IKeyManager.");
        services.Remove(framework);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SharedKeyRing>(sp, Create(sp, framework), certificate is not null));
        services.AddSingleton<IKeyManager>(sp => sp.GetRequiredService<SharedKeyRing>());
        services.AddHostedService(sp => sp.GetRequiredService<SharedKeyRing>());
        return builder;
    }

    static IKeyManager Create(IServiceProvider services, ServiceDescriptor descriptor) => (IKeyManager)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    static X509Certificate2? LoadCertificate(KeyRingOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException("DataProtection:CertificatePath: the certificate has no private key, so keys could not be read back.");
        }
        if (string.IsNullOrWhiteSpace(settings.CertificateThumbprint)) return null;
        var thumbprint = settings.CertificateThumbprint.Replace(" ", "", StringComparison.Ordinal);
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.FirstOrDefault(c => c.HasPrivateKey) is { } certificate) return certificate;
        }
        throw new InvalidOperationException($"DataProtection:CertificateThumbprint: no certificate with private key and thumbprint {thumbprint} in the 'My' stores.");
    }
}
