using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using idunno.Authentication.Basic;
using PerfOtel.Collector.Configuration;

namespace PerfOtel.Collector.Security;

/// <summary>
/// Puts <c>/metrics</c> behind HTTP Basic authentication (the idunno.Authentication.Basic handler) when
/// <c>PerfOtel:Metrics:PasswordFile</c> is set. The password is read once at start-up; a missing or empty file
/// stops the start rather than leaving the endpoint open.
/// </summary>
public static class MetricsBasicAuth
{
    public const string Policy = "metrics-scrape";

    public static MetricsAuthOptions AddMetricsBasicAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MetricsAuthOptions.Section).Get<MetricsAuthOptions>() ?? new MetricsAuthOptions();
        if (!options.Enabled)
        {
            return options;
        }

        if (string.IsNullOrWhiteSpace(options.Username) || options.Username.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{MetricsAuthOptions.Section}:Username must be non-empty and contain no ':'.");
        }

        var password = ReadPassword(options.PasswordFile!);
        var expectedUser = SHA256.HashData(Encoding.UTF8.GetBytes(options.Username));
        var expectedPassword = SHA256.HashData(Encoding.UTF8.GetBytes(password));

        services.AddAuthentication(BasicAuthenticationDefaults.AuthenticationScheme)
            .AddBasic(o =>
            {
                o.Realm = "perfotel-metrics";
                // Plain HTTP is allowed because TLS may end at Kestrel (HTTPS) or in front of it; the production
                // profile serves the collector over HTTPS.
                o.AllowInsecureProtocol = true;
                o.Events = new BasicAuthenticationEvents
                {
                    OnValidateCredentials = context =>
                    {
                        // Compare hashes in constant time so neither length nor prefix leaks through timing.
                        var userOk = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(context.Username)), expectedUser);
                        var passwordOk = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(context.Password)), expectedPassword);
                        if (userOk & passwordOk)
                        {
                            context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, context.Username)], context.Scheme.Name));
                            context.Success();
                        }
                        else
                        {
                            context.Fail("Invalid credentials");
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser());
        return options;
    }

    private static string ReadPassword(string file)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{MetricsAuthOptions.Section}:PasswordFile '{file}' does not exist.");
        }

        var password = File.ReadAllText(file).Trim();
        return password.Length == 0
            ? throw new InvalidOperationException($"{MetricsAuthOptions.Section}:PasswordFile '{file}' is empty.")
            : password;
    }
}
