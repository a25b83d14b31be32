using Microsoft.AspNetCore.Routing.Matching;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Routing;

/// <summary>
/// Chooses routes by the port the connection arrived on (and exact paths where a route asks for one), never by the Host header a client can forge: admin
/// routes answer only on their own admin port, public routes only on the public listener.
/// </summary>
public sealed class ListenerMatcherPolicy(EdgeListeners listeners) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<AdminListenerMetadata>() is not null
            || e.Metadata.GetMetadata<PublicListenerMetadata>() is not null
            || e.Metadata.GetMetadata<ExactPathMetadata>() is not null
            || e.Metadata.GetMetadata<ManagementListenerMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var admin = listeners.AdminFor(httpContext);
        var isPublic = listeners.IsPublic(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            var metadata = candidates[i].Endpoint.Metadata;
            var valid = metadata.GetMetadata<AdminListenerMetadata>() is { } adminRoute
                ? admin?.Id == adminRoute.AdminId
                : metadata.GetMetadata<ManagementListenerMetadata>() is not null
                    ? listeners.IsManagement(httpContext)
                    : metadata.GetMetadata<PublicListenerMetadata>() is null || isPublic;
            if (metadata.GetMetadata<ExactPathMetadata>() is { } exact)
            {
                valid &= string.Equals(httpContext.Request.Path.Value, exact.Path, StringComparison.OrdinalIgnoreCase);
            }

            if (!valid)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
