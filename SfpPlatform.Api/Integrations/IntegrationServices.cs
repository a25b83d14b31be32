using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Integrations;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Api.Integrations;

/// <summary>What the integration endpoints depend on.</summary>
public sealed class IntegrationServices(SfpDbContext db, CredentialVault vault, IOptions<IntegrationOptions> options, TimeProvider time)
{
    public SfpDbContext Db { get; } = db;

    public CredentialVault Vault { get; } = vault;

    public IOptions<IntegrationOptions> Options { get; } = options;

    public TimeProvider Time { get; } = time;
}
