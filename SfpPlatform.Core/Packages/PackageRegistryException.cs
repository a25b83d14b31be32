using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Packages;

/// <summary>The registry refused or failed a request; <see cref="IsPermanent"/> when asking again cannot help.</summary>
public sealed class PackageRegistryException(string message, bool isPermanent, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Refused (authentication, permission, a bad request), not a failure that may pass.</summary>
    public bool IsPermanent { get; } = isPermanent;
}
