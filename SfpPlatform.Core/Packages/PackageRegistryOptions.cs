using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Packages;

/// <summary>The platform's Verdaccio and the accounts the AppHost generated for it (<c>PackageRegistry</c>).</summary>
public sealed class PackageRegistryOptions
{
    public const string SectionName = "PackageRegistry";

    /// <summary>The registry's URL; by default Verdaccio's endpoint from service discovery.</summary>
    public Uri? Url { get; set; }

    /// <summary>The account that may publish (build artifacts).</summary>
    public RegistryAccount Publisher { get; set; } = new();

    /// <summary>The account that may only read (every other step).</summary>
    public RegistryAccount Reader { get; set; } = new();
}
