using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SfpPlatform.Core.Builds;

/// <summary>
/// One build of a pushed commit: its number within the artifact scope (the project), and the artifacts it
/// published. The number comes from <see cref="BuildCounter"/> in the same statement that records the build, so a
/// retried run keeps its number and concurrent builds never share one.
/// </summary>
public sealed class Build
{
    /// <summary>The workflow run that built it.</summary>
    public Guid RunId { get; set; }

    /// <summary>The npm scope its artifacts are published under (the project key).</summary>
    public required string Scope { get; set; }

    public long Number { get; set; }

    public required string Provider { get; set; }

    public required string Repository { get; set; }

    public string? Branch { get; set; }

    public required string Sha { get; set; }

    /// <summary>The artifacts published: <c>[{name, version, outcome}]</c>; null until the build finishes.</summary>
    public JsonDocument? Artifacts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The last build number handed out per scope.</summary>
public sealed class BuildCounter
{
    public required string Scope { get; set; }

    public long Last { get; set; }
}

internal sealed class BuildConfiguration : IEntityTypeConfiguration<Build>
{
    public void Configure(EntityTypeBuilder<Build> builder)
    {
        builder.ToTable("builds");
        builder.HasKey(b => b.RunId);
        builder.Property(b => b.RunId).HasColumnName("run_id");
        builder.Property(b => b.Scope).HasColumnName("scope").HasMaxLength(100);
        builder.Property(b => b.Number).HasColumnName("number");
        builder.Property(b => b.Provider).HasColumnName("provider").HasMaxLength(32);
        builder.Property(b => b.Repository).HasColumnName("repository").HasMaxLength(300);
        builder.Property(b => b.Branch).HasColumnName("branch").HasMaxLength(300);
        builder.Property(b => b.Sha).HasColumnName("sha").HasMaxLength(64);
        builder.Property(b => b.Artifacts).HasColumnName("artifacts").HasColumnType("jsonb");
        builder.Property(b => b.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(b => new { b.Scope, b.Number }).IsUnique().HasDatabaseName("ux_builds_scope_number");
    }
}

internal sealed class BuildCounterConfiguration : IEntityTypeConfiguration<BuildCounter>
{
    public void Configure(EntityTypeBuilder<BuildCounter> builder)
    {
        builder.ToTable("build_counters");
        builder.HasKey(c => c.Scope);
        builder.Property(c => c.Scope).HasColumnName("scope").HasMaxLength(100);
        builder.Property(c => c.Last).HasColumnName("last");
    }
}
