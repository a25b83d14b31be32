using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SfpPlatform.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Issue17Recovered : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "recovered",
                table: "webhook_deliveries",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "github_delivery_cursors",
                columns: table => new
                {
                    hook = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    checked_through_id = table.Column<long>(type: "bigint", nullable: false),
                    checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_github_delivery_cursors", x => x.hook);
                });

            migrationBuilder.CreateTable(
                name: "github_redelivery_requests",
                columns: table => new
                {
                    delivery_guid = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    hook = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    attempt_id = table.Column<long>(type: "bigint", nullable: false),
                    first_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_github_redelivery_requests", x => x.delivery_guid);
                });

            migrationBuilder.CreateIndex(
                name: "IX_github_redelivery_requests_last_requested_at",
                table: "github_redelivery_requests",
                column: "last_requested_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "github_delivery_cursors");

            migrationBuilder.DropTable(
                name: "github_redelivery_requests");

            migrationBuilder.DropColumn(
                name: "recovered",
                table: "webhook_deliveries");
        }
    }
}
