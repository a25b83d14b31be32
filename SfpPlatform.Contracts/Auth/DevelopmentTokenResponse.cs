namespace SfpPlatform.Contracts.Auth;

/// <summary>A token shaped like GoTrue's, for <see cref="Role"/>, valid for <see cref="ExpiresIn"/> seconds.</summary>
public sealed record DevelopmentTokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Role);
