using Microsoft.AspNetCore.Diagnostics;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Api.Problems;

/// <summary>The database being unreachable or shutting down is a 503 with Retry-After (<see cref="DatabaseUnavailableProblem"/>), not a 500.</summary>
public sealed class DatabaseUnavailableExceptionHandler : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        DatabaseErrors.IsUnavailable(exception) ? DatabaseUnavailableProblem.WriteAsync(httpContext, exception) : ValueTask.FromResult(false);
}
