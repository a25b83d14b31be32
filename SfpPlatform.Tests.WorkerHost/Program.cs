using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Engine;
using SfpPlatform.Workers.Engine.Embedded;

// Usage: SfpPlatform.Tests.WorkerHost <connection string> <worker name> [loops] [lease seconds]
// Runs the embedded engine with two workflows:
//   "count": one step that records its execution (run id, worker) in the table executions;
//   "hold":  records the step's start in step_starts, waits input.holdMs, then records its execution.
// Prints "ready" once the worker is running; stops on SIGTERM (or is killed by the test).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: SfpPlatform.Tests.WorkerHost <connection string> <worker name> [loops] [lease seconds]");
    return 2;
}

var connectionString = args[0];
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(new WorkflowDefinition("count", [new StepDefinition("record", ctx => RecordAsync("executions", ctx))]));
builder.Services.AddSingleton(new WorkflowDefinition("hold",
[
    new StepDefinition("hold", async ctx =>
    {
        await RecordAsync("step_starts", ctx);
        await Task.Delay(ctx.Input.GetProperty("holdMs").GetInt32(), ctx.CancellationToken);
        await RecordAsync("executions", ctx);
    }),
]));
builder.Services.AddEmbeddedWorkflowWorker(connectionString);
builder.Services.Configure<WorkflowEngineOptions>(o =>
{
    o.WorkerName = args[1];
    o.Loops = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4;
    o.Lease = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 30);
    o.PollInterval = TimeSpan.FromMilliseconds(500);
});

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
return 0;

async Task RecordAsync(string table, StepContext context)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(context.CancellationToken);
    await using var command = new NpgsqlCommand(
        $"INSERT INTO {table} (run_id, worker) SELECT $1, lease_owner FROM workflow_runs WHERE id = $1", connection);
    command.Parameters.Add(new NpgsqlParameter { Value = context.RunId });
    await command.ExecuteNonQueryAsync(context.CancellationToken);
}
