using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmbeddedWorkflowEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempt",
                table: "workflow_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "cancel_requested",
                table: "workflow_runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "current_step",
                table: "workflow_runs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "error",
                table: "workflow_runs",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "finished_at",
                table: "workflow_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_expires_at",
                table: "workflow_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                table: "workflow_runs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "workflow_runs",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "started_at",
                table: "workflow_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "workflow_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    line = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_logs", x => x.id);
                    table.ForeignKey(
                        name: "FK_workflow_logs_workflow_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "workflow_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "workflow_step_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    worker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_step_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_workflow_step_runs_workflow_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "workflow_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_workflow_runs_active_concurrency",
                table: "workflow_runs",
                column: "concurrency_key",
                filter: "status IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_workflow_runs_claimable",
                table: "workflow_runs",
                columns: new[] { "next_attempt_at", "id" },
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_workflow_runs_leases",
                table: "workflow_runs",
                column: "lease_expires_at",
                filter: "status = 'running'");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_logs_run_id_id",
                table: "workflow_logs",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_workflow_step_runs_run_id_step",
                table: "workflow_step_runs",
                columns: new[] { "run_id", "step" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "workflow_logs");

            migrationBuilder.DropTable(
                name: "workflow_step_runs");

            migrationBuilder.DropIndex(
                name: "ix_workflow_runs_active_concurrency",
                table: "workflow_runs");

            migrationBuilder.DropIndex(
                name: "ix_workflow_runs_claimable",
                table: "workflow_runs");

            migrationBuilder.DropIndex(
                name: "ix_workflow_runs_leases",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "attempt",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "cancel_requested",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "current_step",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "error",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "finished_at",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "lease_expires_at",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "started_at",
                table: "workflow_runs");
        }
    }
}
