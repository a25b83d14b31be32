using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Api.Problems;

/// <summary>
/// The one answer to "the database is unavailable", wherever it is met: 503, <c>Retry-After</c> and a problem
/// document saying nothing was stored. The webhook receivers return it (after logging the delivery they refused);
/// <see cref="DatabaseUnavailableExceptionHandler"/> writes it for every other endpoint. Answering also drops the
/// pooled connections, which a restarted server has killed, so the first request after it returns succeeds.
/// </summary>
public sealed class DatabaseUnavailableProblem : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    /// <summary>Seconds a caller should wait before trying again (the same as the receivers' concurrency limit's).</summary>
    public const string RetryAfter = "10";

    public static DatabaseUnavailableProblem Instance { get; } = new();

    private DatabaseUnavailableProblem()
    {
    }

    public int? StatusCode => StatusCodes.Status503ServiceUnavailable;

    /// <summary>As a result (the webhook receivers): written like every problem, as JSON whatever the caller accepts.</summary>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var problem = Prepare(httpContext);
        if (!await WriteAsync(httpContext, problem, exception: null))
        {
            await httpContext.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }

    /// <summary>As the answer to an exception (<see cref="DatabaseUnavailableExceptionHandler"/>); the exception goes to
    /// the problem-details service, never into the body.</summary>
    public static ValueTask<bool> WriteAsync(HttpContext httpContext, Exception exception) =>
        WriteAsync(httpContext, Prepare(httpContext), exception);

    private static ProblemDetails Prepare(HttpContext httpContext)
    {
        DatabaseErrors.DiscardPooledConnections();
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfter;
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Database unavailable",
            Detail = "The platform's database is unavailable, so nothing was stored or changed; send the request again shortly.",
        };
    }

    private static ValueTask<bool> WriteAsync(HttpContext httpContext, ProblemDetails problem, Exception? exception) =>
        httpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
            .TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]));
}
