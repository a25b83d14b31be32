using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDeliveriesRoutingRulesAndRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "routing_rule_sets",
                columns: table => new
                {
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    rules = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_rule_sets", x => x.project_key);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    delivery_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(100)", maxLength: 100, nullable: false),
                    action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    repository = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    installation_id = table.Column<long>(type: "bigint", nullable: true),
                    organization = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    integration_id = table.Column<Guid>(type: "uuid", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    headers = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    workflow = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "workflow_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workflow = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    input = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    concurrency_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    project_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: true),
                    replay_of_run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    trace_state = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_workflow_runs_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_workflow_runs_workflow_runs_replay_of_run_id",
                        column: x => x.replay_of_run_id,
                        principalTable: "workflow_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_provider_delivery_id",
                table: "webhook_deliveries",
                columns: new[] { "provider", "delivery_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_received_at_id",
                table: "webhook_deliveries",
                columns: new[] { "received_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_repository",
                table: "webhook_deliveries",
                column: "repository");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_runs_delivery_id",
                table: "workflow_runs",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_runs_idempotency_key",
                table: "workflow_runs",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_workflow_runs_replay_of_run_id",
                table: "workflow_runs",
                column: "replay_of_run_id");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_runs_status_created_at",
                table: "workflow_runs",
                columns: new[] { "status", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "routing_rule_sets");

            migrationBuilder.DropTable(
                name: "workflow_runs");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");
        }
    }
}
