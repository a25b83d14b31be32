using System.Text.Json;
using System.Text.Json.Serialization;
using SfpPlatform.Contracts.Webhooks;

namespace SfpPlatform.Contracts.Runs;

/// <summary>
/// The input the webhook intake gives a run (<c>workflow_runs.input</c>), and what the workflows read back: the
/// delivery, the normalised event, the project. Written and read with <see cref="JsonOptions"/>.
/// </summary>
/// <param name="Delivery">Null for a run that no delivery started.</param>
public sealed record RunInput(RunDelivery? Delivery, ProviderEvent Event, string? ProjectKey)
{
    /// <summary>Web casing; members that are null are left out (rows stored before this record existed have the same shape).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
