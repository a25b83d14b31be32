using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkflowRunEngineRunId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "engine_run_id",
                table: "workflow_runs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "engine_run_id",
                table: "workflow_runs");
        }
    }
}
