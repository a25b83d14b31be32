using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Workflows.Hatchet.Contracts;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>One gRPC channel to Hatchet, every call carrying the API token; the dispatcher and admin clients on it.</summary>
public sealed class HatchetConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public HatchetConnection(IOptions<HatchetOptions> options)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Token))
        {
            throw new InvalidOperationException("Hatchet:Token is not set: create an API token in Hatchet and configure it.");
        }

        _channel = GrpcChannel.ForAddress(settings.ResolveGrpcAddress(), new GrpcChannelOptions
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
        var invoker = _channel.Intercept(new BearerInterceptor(settings.Token));
        Dispatcher = new Dispatcher.DispatcherClient(invoker);
        Admin = new AdminService.AdminServiceClient(invoker);
    }

    public Dispatcher.DispatcherClient Dispatcher { get; }

    public AdminService.AdminServiceClient Admin { get; }

    public void Dispose() => _channel.Dispose();

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
