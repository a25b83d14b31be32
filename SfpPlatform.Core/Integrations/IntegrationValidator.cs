using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfpPlatform.Core.Integrations;

/// <summary>
/// Checks an integration against its kind's declaration in <see cref="IntegrationKinds"/>. Errors are keyed by the
/// field as the client sent it (<c>kind</c>, <c>name</c>, <c>settings.organizationUrl</c>, <c>secret</c>), each with
/// a precise message. Secrets never appear in messages.
/// </summary>
public static class IntegrationValidator
{
    /// <summary>GitHub's hook target types (<c>X-GitHub-Hook-Installation-Target-Type</c>): an App's webhook, a repository's, an organisation's.</summary>
    public static readonly IReadOnlyList<string> GitHubHookTargets = ["integration", "repository", "organization", "business"];

    /// <summary>Validates a whole integration (create), or its name and settings only (update: secret null, checkSecret false).</summary>
    public static IntegrationValidation Validate(
        string? kind, string? name, string? projectKey, JsonElement? settings, string? secret, IntegrationOptions options, bool checkSecret = true)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        var normalized = new JsonObject();

        if (string.IsNullOrWhiteSpace(kind))
        {
            Error("kind", $"The kind is required: one of {string.Join(", ", IntegrationKinds.All)}.");
        }
        else if (IntegrationKinds.Find(kind) is null)
        {
            Error("kind", $"'{kind}' is not a kind of integration: use one of {string.Join(", ", IntegrationKinds.All)}.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            Error("name", "The name is required.");
        }
        else if (name.Length > 100 || name.Any(char.IsControl))
        {
            Error("name", "The name must be at most 100 characters, without control characters.");
        }

        if (projectKey is not null && !IsProjectKey(projectKey))
        {
            Error("projectKey", "The project key must be 1 to 100 letters, digits, '.', '_' or '-', or null for a global integration.");
        }

        if (kind is null || IntegrationKinds.Find(kind) is not { } declaration)
        {
            return new IntegrationValidation(errors, normalized);
        }

        ValidateSettings(declaration.Settings, settings, options, normalized, Error);
        if (checkSecret)
        {
            ValidateSecret(declaration.Secret, secret, options, normalized, Error);
        }

        return new IntegrationValidation(errors, normalized);
    }

    /// <summary>Validates a replacement secret for an existing integration of <paramref name="kind"/>.</summary>
    public static IntegrationValidation ValidateSecret(string kind, string? secret, IntegrationOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        var derived = new JsonObject();
        var declaration = IntegrationKinds.Find(kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of integration.");
        ValidateSecret(declaration.Secret, secret, options, derived, (field, message) => errors[field] = [message]);
        return new IntegrationValidation(errors, derived);
    }

    private static void ValidateSettings(
        IReadOnlyList<SettingDeclaration> schema, JsonElement? settings, IntegrationOptions options, JsonObject normalized, Action<string, string> error)
    {
        if (settings is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null and not JsonValueKind.Undefined })
        {
            error("settings", "The settings must be a JSON object.");
            return;
        }

        var values = settings is { ValueKind: JsonValueKind.Object } obj
            ? obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
            : [];

        foreach (var unknown in values.Keys.Where(k => schema.All(f => f.Name != k)))
        {
            error($"settings.{unknown}", $"'{unknown}' is not a setting of this kind; allowed: {string.Join(", ", schema.Select(f => f.Name))}.");
        }

        foreach (var field in schema)
        {
            var path = $"settings.{field.Name}";
            if (!values.TryGetValue(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    error(path, $"{field.Name} is required.");
                }

                continue;
            }

            if (ValidateField(field, value, options) is { } message)
            {
                error(path, message);
            }
            else
            {
                normalized[field.Name] = JsonNode.Parse(value.GetRawText());
            }
        }
    }

    private static string? ValidateField(SettingDeclaration field, JsonElement value, IntegrationOptions options) => field.Type switch
    {
        SettingType.String => value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length is > 0 and <= 400
            ? null : $"{field.Name} must be a non-empty string of at most 400 characters.",
        SettingType.PositiveInteger => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0
            ? null : $"{field.Name} must be a positive integer.",
        SettingType.PositiveIntegerArray => value.ValueKind == JsonValueKind.Array
            && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var i) && i > 0)
            ? null : $"{field.Name} must be an array of positive integers.",
        SettingType.GitHubHookTarget => value.ValueKind == JsonValueKind.String && GitHubHookTargets.Contains(value.GetString())
            ? null : $"{field.Name} must be one of {string.Join(", ", GitHubHookTargets)} (GitHub's X-GitHub-Hook-Installation-Target-Type: 'integration' for a GitHub App).",
        SettingType.BasicAuthUser => value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 200 } user
            && !user.Contains(':', StringComparison.Ordinal) && !user.Any(char.IsControl)
            ? null : $"{field.Name} must be 1 to 200 characters, without ':' or control characters (it is sent as basic auth).",
        SettingType.AzureDevOpsUrl => Url(field, value, options, IntegrationOptions.AzureDevOps,
            "https://dev.azure.com/{organization} or https://{organization}.visualstudio.com"),
        SettingType.SalesforceUrl => Url(field, value, options, IntegrationOptions.Salesforce,
            "https://login.salesforce.com, https://test.salesforce.com or https://{domain}.my.salesforce.com"),
        SettingType.GitHubEnterpriseUrl => Url(field, value, options, IntegrationOptions.GitHubEnterprise,
            "the https base URL of a GitHub Enterprise Server, e.g. https://github.example.com"),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static string? Url(SettingDeclaration field, JsonElement value, IntegrationOptions options, string provider, string expected)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is not null && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Query.Length == 0
            && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0 && options.IsAllowed(provider, text)
            ? null
            : $"{field.Name} must be {expected}.";
    }

    private static void ValidateSecret(SecretDeclaration declared, string? secret, IntegrationOptions options, JsonObject derived, Action<string, string> error)
    {
        if (string.IsNullOrEmpty(secret))
        {
            error("secret", $"The secret ({declared.Description}) is required.");
            return;
        }

        switch (declared.Type)
        {
            case SecretType.RsaPrivateKeyPem when !IsRsaPrivateKeyPem(secret):
                error("secret", "The secret must be an RSA private key of at least 2048 bits in PEM form (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----).");
                break;
            case SecretType.Token when secret.Length > 1000 || secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)):
                error("secret", "The token must be at most 1000 characters, without spaces or control characters.");
                break;
            case SecretType.WebhookSecret when secret.Length > 1000 || secret.Any(char.IsControl):
                error("secret", "The webhook secret must be at most 1000 characters, without control characters.");
                break;
            case SecretType.SfdxAuthUrl:
                if (!SalesforceAuthUrl.TryParse(secret, out var authUrl))
                {
                    error("secret", "The auth URL must have the form force://clientId:clientSecret:refreshToken@host.");
                }
                else if (!options.IsAllowed(IntegrationOptions.Salesforce, authUrl!.InstanceUrl))
                {
                    error("secret", "The auth URL's host must be login.salesforce.com, test.salesforce.com or {domain}.my.salesforce.com.");
                }
                else
                {
                    derived["instanceUrl"] = authUrl.InstanceUrl;
                }

                break;
        }
    }

    /// <summary>1 to 100 letters, digits, '.', '_' or '-': a project key wherever one is given.</summary>
    public static bool IsProjectKey(string key) =>
        key.Length is > 0 and <= 100 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsRsaPrivateKeyPem(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            rsa.ExportParameters(includePrivateParameters: true);
            return rsa.KeySize >= 2048;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
