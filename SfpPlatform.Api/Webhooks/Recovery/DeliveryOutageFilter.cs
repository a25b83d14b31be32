using Microsoft.AspNetCore.Http.Metadata;

namespace SfpPlatform.Api.Webhooks.Recovery;

/// <summary>On the GitHub receiver: a 503 answer (nothing stored) arms the <see cref="DeliveryOutageSignal"/>.</summary>
internal sealed class DeliveryOutageFilter(DeliveryOutageSignal signal) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        if (answer is IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable })
        {
            signal.Arm();
        }

        return result;
    }
}
