using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// The engine contract with Hatchet running the workflows: a trigger is a row in <c>workflow_runs</c> (the outbox the
/// Workers' relay hands to Hatchet, so it joins the caller's transaction and never waits on Hatchet); cancel marks the
/// row and asks Hatchet to cancel the run's tasks; status is the platform's record, which the Hatchet worker keeps
/// current. Where Hatchet is not configured or not reachable, cancel still marks the row (the worker stops the run
/// when it next checks, and skips it if Hatchet assigns it again) and records that Hatchet was not told.
/// </summary>
public sealed partial class HatchetWorkflowEngine(WorkflowRunStore runs, HatchetConnection hatchet, ILogger<HatchetWorkflowEngine> logger)
    : IWorkflowEngine
{
    public Task<Guid?> TriggerAsync(WorkflowTrigger trigger, CancellationToken cancellationToken) => runs.EnqueueAsync(trigger, cancellationToken);

    public async Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (!await runs.CancelAsync(runId, cancellationToken))
        {
            return false;
        }

        // Not relayed yet: the relay never hands a run with a cancel request to Hatchet.
        if (await runs.EngineRunIdAsync(runId, cancellationToken) is not { } engineRunId)
        {
            return true;
        }

        string problem;
        try
        {
            await hatchet.Admin.CancelTasksAsync(new CancelTasksRequest { ExternalIds = { engineRunId } },
                deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
            return true;
        }
        catch (OptionsValidationException e)
        {
            problem = string.Join(" ", e.Failures);
        }
        catch (RpcException e)
        {
            problem = $"{e.StatusCode}: {e.Status.Detail}";
        }

        CancelNotRelayed(logger, runId, problem);
        await runs.NoteCancelAsync(runId, $"cancelled here; Hatchet was not told ({problem})", cancellationToken);
        return true;
    }

    public Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken) => runs.StatusAsync(runId, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was cancelled in the platform's record, but Hatchet was not told: {Problem}")]
    private static partial void CancelNotRelayed(ILogger logger, Guid runId, string problem);
}
