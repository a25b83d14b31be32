using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Api.Webhooks;

/// <summary>The paging parameters every list endpoint takes.</summary>
public static class Paging
{
    public static void Validate(int? pageIndex, int? pageSize, int maxPageSize, Dictionary<string, string[]> errors)
    {
        if (pageIndex < 0)
        {
            errors["pageIndex"] = ["pageIndex starts at 0."];
        }

        if (pageSize is < 1 || pageSize > maxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be 1 to {maxPageSize}."];
        }
    }
}
