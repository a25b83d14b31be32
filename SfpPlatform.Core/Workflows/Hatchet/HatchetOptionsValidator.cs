using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// Hatchet's settings as Hatchet will judge them, all errors at once: an API token (a JWT that names, or is given, a
/// gRPC address), a TLS strategy it knows, a worker name its <c>Register</c> accepts, positive durations, at least one
/// slot. The Workers check them at start; the Api, which needs Hatchet only to cancel, checks them when it cancels.
/// </summary>
public sealed class HatchetOptionsValidator : IValidateOptions<HatchetOptions>
{
    public ValidateOptionsResult Validate(string? name, HatchetOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            errors.Add("Hatchet:Token is not set: create an API token in Hatchet (its dashboard's Settings → API Tokens, or "
                + "hatchet-admin token create inside the hatchet-lite container) and configure it as Hatchet:Token (environment Hatchet__Token).");
        }
        else if (options.Payload() is null)
        {
            errors.Add("Hatchet:Token is not a Hatchet API token: Hatchet issues JWTs (three base64url parts, the middle one a JSON object).");
        }
        else if (string.IsNullOrWhiteSpace(options.GrpcAddress) && options.Claim("grpc_broadcast_address") is null)
        {
            errors.Add("Hatchet:GrpcAddress is not set and Hatchet:Token names no grpc_broadcast_address: set Hatchet:GrpcAddress (host:port).");
        }

        if (options.TlsStrategy is not (HatchetOptions.Tls or HatchetOptions.NoTls))
        {
            errors.Add($"Hatchet:TlsStrategy is '{options.TlsStrategy}': use '{HatchetOptions.Tls}' or '{HatchetOptions.NoTls}' "
                + "(plain-text gRPC, as hatchet-lite serves it with SERVER_GRPC_INSECURE=t).");
        }

        if (options.WorkerName is { } workerName && !HatchetOptions.WorkerNamePattern.IsMatch(workerName))
        {
            errors.Add($"Hatchet:WorkerName '{workerName}' would be refused by Hatchet: a worker name matches {HatchetOptions.WorkerNamePattern} "
                + "(letters, digits, '.', '-', '_'; no ':' or spaces).");
        }

        if (options.Slots < 1)
        {
            errors.Add($"Hatchet:Slots is {options.Slots}: a worker runs at least one step at a time.");
        }

        foreach (var (key, value) in new[]
        {
            (nameof(HatchetOptions.HeartbeatInterval), options.HeartbeatInterval),
            (nameof(HatchetOptions.TaskLease), options.TaskLease),
            (nameof(HatchetOptions.InitialBackoff), options.InitialBackoff),
            (nameof(HatchetOptions.MaxBackoff), options.MaxBackoff),
            (nameof(HatchetOptions.RelayPollInterval), options.RelayPollInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"Hatchet:{key} is {value}: it must be positive.");
            }
        }

        if (options.InitialBackoff > TimeSpan.Zero && options.MaxBackoff > TimeSpan.Zero && options.MaxBackoff < options.InitialBackoff)
        {
            errors.Add($"Hatchet:MaxBackoff ({options.MaxBackoff}) is shorter than Hatchet:InitialBackoff ({options.InitialBackoff}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
