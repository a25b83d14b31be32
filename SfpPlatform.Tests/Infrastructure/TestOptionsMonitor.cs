using Microsoft.Extensions.Options;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Options whose value a test sets (and may change between calls, as a configuration reload would).</summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T Value { get; set; } = value;

    public T CurrentValue => Value;

    public T Get(string? name) => Value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
