using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace SfpPlatform.Api.Webhooks.AzureDevOps;

/// <summary>A 401 problem with the <c>WWW-Authenticate: Basic</c> challenge that Azure DevOps (and curl) expect.</summary>
public sealed class BasicChallengeProblem(string title, string detail) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public const string Challenge = "Basic realm=\"sfp-platform\", charset=\"UTF-8\"";

    public int? StatusCode => StatusCodes.Status401Unauthorized;

    public string Title { get; } = title;

    public string Detail { get; } = detail;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.WWWAuthenticate = Challenge;
        return TypedResults.Problem(Detail, statusCode: StatusCodes.Status401Unauthorized, title: Title).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]));
}
