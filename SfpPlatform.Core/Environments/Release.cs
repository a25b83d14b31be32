using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SfpPlatform.Core.Environments;

/// <summary>
/// A named, immutable set of package versions already in the platform's Verdaccio, kept as the sfp release definition
/// <c>sfp release -p</c> reads (<see cref="Definition"/>). Made by a build of a mapped branch, or by hand.
/// </summary>
public sealed class Release
{
    public Guid Id { get; set; }

    public required string ProjectKey { get; set; }

    public required string Name { get; set; }

    /// <summary>The artifacts: <c>[{package, npmName, version}]</c> (<see cref="ReleaseArtifact"/>).</summary>
    public required JsonDocument Artifacts { get; set; }

    /// <summary>The release definition YAML (<c>release</c>, <c>skipIfAlreadyInstalled</c>, <c>artifacts</c>).</summary>
    public required string Definition { get; set; }

    /// <summary><c>build</c> or <c>manual</c>.</summary>
    public required string Source { get; set; }

    /// <summary>The build run that made it, if a build did.</summary>
    public Guid? BuildRunId { get; set; }

    public string? Branch { get; set; }

    public string? Sha { get; set; }

    /// <summary>The run input of the event that made it (the repository deployments of it report to); null when made by hand.</summary>
    public JsonDocument? Origin { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One package of a release: the sfdx package, its npm artifact and the version.</summary>
public sealed record ReleaseArtifact(string Package, string NpmName, string Version);

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.ToTable("releases");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(r => r.Artifacts).HasColumnName("artifacts").HasColumnType("jsonb");
        builder.Property(r => r.Definition).HasColumnName("definition");
        builder.Property(r => r.Source).HasColumnName("source").HasMaxLength(16);
        builder.Property(r => r.BuildRunId).HasColumnName("build_run_id");
        builder.Property(r => r.Branch).HasColumnName("branch").HasMaxLength(300);
        builder.Property(r => r.Sha).HasColumnName("sha").HasMaxLength(64);
        builder.Property(r => r.Origin).HasColumnName("origin").HasColumnType("jsonb");
        builder.Property(r => r.CreatedBy).HasColumnName("created_by").HasMaxLength(200);
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(r => new { r.ProjectKey, r.Name }).IsUnique().HasDatabaseName("ux_releases_project_name");
        builder.HasIndex(r => r.BuildRunId).IsUnique().HasFilter("build_run_id IS NOT NULL").HasDatabaseName("ux_releases_build_run");
    }
}
