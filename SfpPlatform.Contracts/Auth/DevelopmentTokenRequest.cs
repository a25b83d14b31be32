namespace SfpPlatform.Contracts.Auth;

/// <summary><c>POST /sfp/api/dev/token</c> (Development only): the platform role to sign a token for, and its subject.</summary>
public sealed record DevelopmentTokenRequest(string? Role, string? Subject);
