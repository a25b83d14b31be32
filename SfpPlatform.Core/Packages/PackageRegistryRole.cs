using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Packages;

public enum PackageRegistryRole
{
    Reader,
    Publisher,
}
