namespace SfpPlatform.Core.Audit;

/// <summary>Who did something: a token's subject and role, or an operator command.</summary>
public sealed record AuditActor(string Name, string? Role)
{
    /// <summary>The operator CLI and the Api's own commands, run by whoever has the host.</summary>
    public static AuditActor Operator(string command) => new($"operator:{command}", "operator");
}
