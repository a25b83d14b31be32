using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>A response read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>What the echo upstream saw, or null when the response did not come from one (or had no body: HEAD).</summary>
    public EchoedRequest? Echo => Header("x-echo-service") is null || Body.Length == 0 ? null : JsonSerializer.Deserialize<EchoedRequest>(Body);

    /// <summary>The echo upstream that answered, from its header (present for HEAD too).</summary>
    public string? EchoService => Header("x-echo-service");
}

/// <summary>
/// HTTP/1.1 over a plain socket, so the request target goes out exactly as written (HttpClient would normalise
/// dot-segments and escapes) and the client's own address can be chosen.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(
        int port, string method, string target, IReadOnlyList<(string Name, string Value)>? headers = null,
        byte[]? body = null, IPAddress? localAddress = null, string host = "sfp.test", CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (localAddress is not null)
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(host).Append("\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (body is not null || method is "POST" or "PUT")
        {
            head.Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        if (body is not null)
        {
            try
            {
                await stream.WriteAsync(body, cancellationToken);
            }
            catch (IOException)
            {
                // The server answered early (e.g. 413) and stopped reading; its answer is still to be read.
            }
        }

        using var received = new MemoryStream();
        await stream.CopyToAsync(received, cancellationToken);
        return Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] raw)
    {
        var headerEnd = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            throw new InvalidDataException($"No complete response head in {raw.Length} bytes.");
        }

        var lines = Encoding.ASCII.GetString(raw, 0, headerEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        var body = raw.AsSpan(headerEnd + 4).ToArray();
        if (headers.GetValueOrDefault("transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8) + position;
            var sizeText = Encoding.ASCII.GetString(chunked, position, lineEnd - position).Split(';')[0];
            var size = Convert.ToInt32(sizeText, 16);
            if (size == 0)
            {
                return output.ToArray();
            }

            output.Write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
