namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// One delivery attempt the stand-in made, as GitHub lists it: its own id, the guid (<c>X-GitHub-Delivery</c>, kept by
/// a redelivery), when, whether it was a redelivery and the receiver's status code (0: no answer). The original event
/// and bytes are kept, as GitHub keeps them, so a redelivery sends them again; <see cref="HookId"/> and
/// <see cref="TargetType"/> say which hook made it (an App's hook is <c>integration</c>).
/// </summary>
public sealed record GitHubStandInDelivery(
    long Id, string Guid, DateTimeOffset DeliveredAt, bool Redelivery, int StatusCode, string Event, string? Action, byte[] Body,
    long HookId, string TargetType);
