using System.Security.Claims;
using SfpPlatform.Core.Audit;

namespace SfpPlatform.Api.Auth;

/// <summary>The caller of a request as the audit trail names them: the token's e-mail (GoTrue's users) or subject, and role.</summary>
public static class AuditActors
{
    public static AuditActor ToAuditActor(this ClaimsPrincipal user) => new(
        user.FindFirstValue("email") is { Length: > 0 } email ? email : user.Identity?.Name ?? "anonymous",
        user.FindFirstValue(PlatformRoles.ClaimType));
}
