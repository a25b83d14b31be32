using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SfpPlatform.Contracts.Auth;

namespace SfpPlatform.Web.Auth;

/// <summary>
/// Where tokens come from: Supabase GoTrue (email and password) where it runs; in Development without GoTrue, the
/// Api's development issuer (pick a role). The token is kept in the encrypted sign-in cookie and used server side only.
/// </summary>
public sealed class SignInOptions(IConfiguration configuration, IHostEnvironment environment)
{
    /// <summary>GoTrue's URL (<c>Auth:GoTrueUrl</c>, else the <c>auth</c> service's endpoint), or null where it does not run.</summary>
    public string? GoTrueUrl => configuration["Auth:GoTrueUrl"] ?? configuration["services:auth:http:0"];

    public bool UsesDevelopmentIssuer => GoTrueUrl is null && environment.IsDevelopment();
}
