using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authorization;

namespace SfpPlatform.Web.Auth;

/// <summary>
/// <c>/audit/export</c>: the audit page's download links. The user's token stays server side, so the web app fetches the
/// Api's export with it and hands the file on (the Api decides who may export: owners).
/// </summary>
public static class AuditExportEndpoint
{
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit/export", ExportAsync).RequireAuthorization(new AuthorizeAttribute());
        return app;
    }

    private static async Task ExportAsync(HttpContext context, IHttpClientFactory http, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sfp/api/audit/export" + context.Request.QueryString);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.User.FindFirst(WebClaims.AccessToken)?.Value);
        using var response = await http.CreateClient(SignInEndpoints.ApiClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        if (response.Content.Headers.ContentDisposition is { } disposition)
        {
            context.Response.Headers.ContentDisposition = disposition.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, cancellationToken);
    }
}
