using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Packages;

public sealed class RegistryAccount
{
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public bool IsConfigured => Username.Length > 0 && Password.Length > 0;
}
