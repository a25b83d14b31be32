namespace SfpPlatform.Topology.Services;

public enum DependencyCondition
{
    /// <summary>The dependency's health check passes (compose <c>service_healthy</c>; AppHost <c>WaitFor</c>).</summary>
    Healthy,

    /// <summary>The dependency ran to completion with exit code 0 (compose <c>service_completed_successfully</c>;
    /// AppHost <c>WaitForCompletion</c>): one-shot initialisers.</summary>
    Completed,
}
