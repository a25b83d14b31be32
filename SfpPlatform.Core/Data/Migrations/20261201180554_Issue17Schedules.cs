using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Issue17Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expiry_reported_at",
                table: "review_environment_leases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "workflow_schedules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    workflow = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    input = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    cron = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    owner = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    last_run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_tick_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_schedules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_workflow_schedules_due",
                table: "workflow_schedules",
                column: "next_run_at",
                filter: "NOT paused AND next_run_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_schedules_name",
                table: "workflow_schedules",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "workflow_schedules");

            migrationBuilder.DropColumn(
                name: "expiry_reported_at",
                table: "review_environment_leases");
        }
    }
}
