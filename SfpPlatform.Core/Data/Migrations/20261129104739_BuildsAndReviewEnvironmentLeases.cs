using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BuildsAndReviewEnvironmentLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "build_counters",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    last = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_build_counters", x => x.scope);
                });

            migrationBuilder.CreateTable(
                name: "builds",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    repository = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    branch = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    sha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    artifacts = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_builds", x => x.run_id);
                });

            migrationBuilder.CreateTable(
                name: "review_environment_leases",
                columns: table => new
                {
                    pool = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    org = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    repository = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    pull_request = table.Column<long>(type: "bigint", nullable: false),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    leased_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_environment_leases", x => new { x.pool, x.org });
                });

            migrationBuilder.CreateIndex(
                name: "ux_builds_scope_number",
                table: "builds",
                columns: new[] { "scope", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_review_environment_leases_active_pull_request",
                table: "review_environment_leases",
                columns: new[] { "pool", "provider", "repository", "pull_request" },
                unique: true,
                filter: "released_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "build_counters");

            migrationBuilder.DropTable(
                name: "builds");

            migrationBuilder.DropTable(
                name: "review_environment_leases");
        }
    }
}
