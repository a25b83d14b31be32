namespace SfpPlatform.Topology.Services;

/// <summary>How an image can probe itself over HTTP (what the image has installed).</summary>
public enum HttpProbe
{
    /// <summary>busybox or GNU wget (Alpine-based images).</summary>
    Wget,

    /// <summary>Node's fetch (Node images without wget).</summary>
    Node,

    /// <summary>bash's /dev/tcp (the .NET images: bash, no curl or wget); passes when the body says <c>Healthy</c>.</summary>
    Bash,
}
