using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Workflows.Hatchet.Contracts;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// One gRPC channel to Hatchet, every call carrying the API token; the dispatcher and admin clients on it. The channel
/// is opened on first use, so a process that only may need Hatchet (the Api, to cancel) starts without it: reaching for
/// a client then throws <see cref="OptionsValidationException"/> naming what is not configured.
/// </summary>
public sealed class HatchetConnection(IOptions<HatchetOptions> options) : IDisposable
{
    private readonly Lazy<Clients> _clients = new(() => Open(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    public Dispatcher.DispatcherClient Dispatcher => _clients.Value.Dispatcher;

    public AdminService.AdminServiceClient Admin => _clients.Value.Admin;

    /// <summary>Where the channel goes (for messages): the configured address, else the token's claim.</summary>
    public string Address => options.Value.GrpcAddress ?? options.Value.Claim("grpc_broadcast_address") ?? "(no address)";

    public void Dispose()
    {
        if (_clients.IsValueCreated)
        {
            _clients.Value.Channel.Dispose();
        }
    }

    private static Clients Open(HatchetOptions settings)
    {
        var channel = GrpcChannel.ForAddress(settings.ResolveGrpcAddress(), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(60),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            },
            MaxReceiveMessageSize = 4 * 1024 * 1024,
        });
        var invoker = channel.Intercept(new BearerInterceptor(settings.Token));
        return new Clients(channel, new Dispatcher.DispatcherClient(invoker), new AdminService.AdminServiceClient(invoker));
    }

    private sealed record Clients(GrpcChannel Channel, Dispatcher.DispatcherClient Dispatcher, AdminService.AdminServiceClient Admin);

    /// <summary>Adds <c>authorization: Bearer &lt;token&gt;</c> to every call, streaming ones included.</summary>
    private sealed class BearerInterceptor(string token) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithToken(context));

        private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
            where TRequest : class
            where TResponse : class
        {
            var headers = context.Options.Headers ?? [];
            headers.Add("authorization", $"Bearer {token}");
            return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
        }
    }
}
