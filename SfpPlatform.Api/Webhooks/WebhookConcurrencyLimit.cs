using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using SfpPlatform.Api.Problems;

namespace SfpPlatform.Api.Webhooks;

/// <summary>
/// How many deliveries the receivers handle at once (<c>Webhooks:MaxConcurrentDeliveries</c>, default 256) and how
/// many wait their turn, oldest first (<c>Webhooks:MaxQueuedDeliveries</c>, default 5,000). The database side is
/// bounded by the group commit (<see cref="SfpPlatform.Core.Webhooks.DeliveryWriter"/>: a few connections whatever the
/// load), so the permits only bound the memory and CPU of requests in flight; the more are in flight, the more each
/// commit carries. Beyond the queue, a delivery is refused at once with 503 and Retry-After, never dropped silently.
/// </summary>
public static class WebhookConcurrencyLimit
{
    public const string Policy = "webhook-deliveries";

    public static void AddWebhookConcurrencyLimit(this IHostApplicationBuilder builder)
    {
        var permits = builder.Configuration.GetValue("Webhooks:MaxConcurrentDeliveries", 256);
        var queue = builder.Configuration.GetValue("Webhooks:MaxQueuedDeliveries", 5000);
        builder.Services.AddRateLimiter(options =>
        {
            options.AddConcurrencyLimiter(Policy, limiter =>
            {
                limiter.PermitLimit = permits;
                limiter.QueueLimit = queue;
                limiter.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = DatabaseUnavailableProblem.RetryAfter;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status503ServiceUnavailable,
                        Title = "Too many deliveries at once",
                        Detail = "The platform is storing as many deliveries as it can; this one was not stored. Send it again shortly.",
                    },
                });
            };
        });
    }
}
