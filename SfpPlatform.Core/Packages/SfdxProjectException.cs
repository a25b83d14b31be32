using System.Text.Json;

namespace SfpPlatform.Core.Packages;

/// <summary>The project file cannot be read as a Salesforce DX project: no build can mend it.</summary>
public sealed class SfdxProjectException(string message) : Exception(message);
