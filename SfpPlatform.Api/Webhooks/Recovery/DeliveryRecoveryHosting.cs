using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.Api.Webhooks.Recovery;

public static class DeliveryRecoveryHosting
{
    /// <summary>The Api's part of the delivery recovery: the sweep itself (for the owners' endpoint) and the pass right after an outage.</summary>
    public static void AddDeliveryRecoveryAfterOutage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDeliveryRecovery();
        builder.Services.AddSingleton<DeliveryOutageSignal>();
        builder.Services.AddHostedService<RecoveryAfterOutageService>();
    }
}
