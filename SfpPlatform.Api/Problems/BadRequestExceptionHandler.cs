using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SfpPlatform.Api.Problems;

/// <summary>
/// A request the framework could not bind (malformed JSON, a wrong type, invalid UTF-8, a missing body) gets a 400
/// ProblemDetails that says what and where (<c>field</c>: the JSON path), in every environment, never a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var problem = new ProblemDetails { Status = badRequest.StatusCode, Title = "The request could not be read" };
        if (badRequest.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            problem.Detail = field is null
                ? $"The request body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})."
                : $"'{field}' has the wrong type or is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
            if (field is not null)
            {
                problem.Extensions["field"] = field;
            }
        }
        else
        {
            problem.Detail = badRequest.Message;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
