using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Issue19Environments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "resume_requested",
                table: "workflow_runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "environments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    salesforce_integration = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    branch = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    promotion_order = table.Column<int>(type: "integer", nullable: false),
                    required_approvals = table.Column<int>(type: "integer", nullable: false),
                    approvers = table.Column<string[]>(type: "text[]", nullable: false),
                    wait_timer_minutes = table.Column<int>(type: "integer", nullable: false),
                    allowed_branches = table.Column<string[]>(type: "text[]", nullable: false),
                    lock_timeout_minutes = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_environments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "releases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    artifacts = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    definition = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    build_run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    branch = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    sha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    origin = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_releases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "deployments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    environment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    environment_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    release_id = table.Column<Guid>(type: "uuid", nullable: false),
                    release_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_via = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    required_approvals = table.Column<int>(type: "integer", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    origin = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    repository = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    pull_request = table.Column<long>(type: "bigint", nullable: true),
                    sha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    provider_deployment_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lock_acquired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lock_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lock_released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    log = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => x.id);
                    table.ForeignKey(
                        name: "FK_deployments_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_deployments_releases_release_id",
                        column: x => x.release_id,
                        principalTable: "releases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "deployment_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    deployment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    environment_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_deployment_events_deployments_deployment_id",
                        column: x => x.deployment_id,
                        principalTable: "deployments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deployment_events_deployment",
                table: "deployment_events",
                column: "deployment_id");

            migrationBuilder.CreateIndex(
                name: "ix_deployment_events_project_at",
                table: "deployment_events",
                columns: new[] { "project_key", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_deployments_environment_sequence",
                table: "deployments",
                columns: new[] { "environment_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_deployments_release_id",
                table: "deployments",
                column: "release_id");

            migrationBuilder.CreateIndex(
                name: "ux_deployments_lock_holder",
                table: "deployments",
                column: "environment_id",
                unique: true,
                filter: "lock_acquired_at IS NOT NULL AND lock_released_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_environments_project_branch",
                table: "environments",
                columns: new[] { "project_key", "branch" },
                unique: true,
                filter: "branch IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_environments_project_name",
                table: "environments",
                columns: new[] { "project_key", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_releases_build_run",
                table: "releases",
                column: "build_run_id",
                unique: true,
                filter: "build_run_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_releases_project_name",
                table: "releases",
                columns: new[] { "project_key", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deployment_events");

            migrationBuilder.DropTable(
                name: "deployments");

            migrationBuilder.DropTable(
                name: "environments");

            migrationBuilder.DropTable(
                name: "releases");

            migrationBuilder.DropColumn(
                name: "resume_requested",
                table: "workflow_runs");
        }
    }
}
