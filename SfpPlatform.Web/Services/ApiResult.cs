namespace SfpPlatform.Web.Services;

/// <summary>What the Api answered: the value, or its problem (RFC 7807) with field errors.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;
}
