namespace SfpPlatform.Core.Integrations;

/// <summary>One kind of integration as <see cref="IntegrationKinds"/> declares it.</summary>
internal sealed record IntegrationKindDeclaration(string Id, string Label, SecretDeclaration Secret, IReadOnlyList<SettingDeclaration> Settings);

/// <summary>One setting: the checks on its value (<see cref="Type"/>, <see cref="Required"/>) and how a form shows it.</summary>
internal sealed record SettingDeclaration(string Name, SettingType Type, string Label, string Example, bool Required = false, string? Hint = null);

/// <summary>A kind's secret: the checks on it (<see cref="Type"/>) and how a form and an error message name it.</summary>
internal sealed record SecretDeclaration(SecretType Type, string Label, string Description, bool Multiline = false);

internal enum SettingType { String, PositiveInteger, PositiveIntegerArray, AzureDevOpsUrl, SalesforceUrl, GitHubEnterpriseUrl, GitHubHookTarget, BasicAuthUser }

internal enum SecretType { RsaPrivateKeyPem, Token, WebhookSecret, SfdxAuthUrl }
