using System.Text.Json;
using System.Text.Unicode;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// A delivery body parsed once, into one <see cref="JsonDocument"/> over the received bytes (no copy), which the
/// target lookup, the validation and the normalisation share. Dispose it when the delivery is handled.
/// </summary>
public sealed class WebhookPayload : IDisposable
{
    /// <summary>
    /// How deep a body is read into a document: GitHub's payloads nest deeper than System.Text.Json's default of 64.
    /// A deeper body is still valid JSON (a <c>repository_dispatch</c> carries its sender's JSON as sent): it is checked
    /// by a reader, which has no depth limit and no cost per level, and kept as <see cref="WebhookPayloadError.TooDeep"/>
    /// (a document's cost grows with depth: 100,000 levels took seconds).
    /// </summary>
    public const int MaxDepth = 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private readonly JsonDocument? _document;

    private WebhookPayload(JsonDocument? document, WebhookPayloadError error, long line = 0, long bytePosition = 0)
    {
        _document = document;
        Error = error;
        Line = line;
        BytePosition = bytePosition;
    }

    /// <summary>What makes the body unreadable; <see cref="WebhookPayloadError.None"/> for a JSON object in UTF-8.</summary>
    public WebhookPayloadError Error { get; }

    public bool IsValid => Error == WebhookPayloadError.None;

    /// <summary>Zero-based line of a <see cref="WebhookPayloadError.Malformed"/> body's first error.</summary>
    public long Line { get; }

    /// <summary>Zero-based byte within <see cref="Line"/> of a <see cref="WebhookPayloadError.Malformed"/> body's first error.</summary>
    public long BytePosition { get; }

    /// <summary>
    /// The document's root: an object when <see cref="IsValid"/>. It is there too for a body that is JSON but not
    /// valid UTF-8 or not an object (the target lookup reads what it can); undefined when the body is not JSON.
    /// </summary>
    public JsonElement Root => _document?.RootElement ?? default;

    /// <summary>
    /// Parses <paramref name="body"/>, which must outlive the payload (the document reads it in place), as
    /// <see cref="StorableJson"/> normalises it. A valid body costs one UTF-8 check and one parse; only for an invalid one is the first token read again, to say what is wrong.
    /// </summary>
    public static WebhookPayload Parse(ReadOnlyMemory<byte> body)
    {
        var utf8 = Utf8.IsValid(body.Span);
        body = StorableJson.Normalize(body);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            if (utf8 && TopLevelStrings(body.Span) is { } strings)
            {
                return new WebhookPayload(null, WebhookPayloadError.TooDeep) { _strings = strings };
            }

            return utf8 ? Diagnose(body.Span, e) : new WebhookPayload(null, WebhookPayloadError.NotUtf8);
        }

        var error = !utf8 ? WebhookPayloadError.NotUtf8
            : document.RootElement.ValueKind != JsonValueKind.Object ? WebhookPayloadError.NotAnObject
            : WebhookPayloadError.None;
        return new WebhookPayload(document, error);
    }

    private Dictionary<string, string>? _strings;

    /// <summary>A top-level string property of a <see cref="WebhookPayloadError.TooDeep"/> body (what its envelope names).</summary>
    public string? TopLevelString(string name) => _strings?.GetValueOrDefault(name);

    public void Dispose() => _document?.Dispose();

    /// <summary>
    /// The top-level string properties of a body that is one valid JSON object at any depth, read by a reader without
    /// a depth limit; null when the body is not that.
    /// </summary>
    private static Dictionary<string, string>? TopLevelStrings(ReadOnlySpan<byte> body)
    {
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    strings.TryAdd(name, reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }

            // Nothing may follow the object.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? strings : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Says what is wrong with a body the parser refused: one that does not even start as an object is "not an
    /// object" (as a reader sees its first token), anything else is malformed where the parser stopped.
    /// </summary>
    private static WebhookPayload Diagnose(ReadOnlySpan<byte> body, JsonException parseError)
    {
        bool startsAsObject;
        try
        {
            var reader = new Utf8JsonReader(body);
            startsAsObject = !reader.Read() || reader.TokenType == JsonTokenType.StartObject;
        }
        catch (JsonException)
        {
            startsAsObject = true;
        }

        return startsAsObject
            ? new WebhookPayload(null, WebhookPayloadError.Malformed, parseError.LineNumber ?? 0, parseError.BytePositionInLine ?? 0)
            : new WebhookPayload(null, WebhookPayloadError.NotAnObject);
    }
}
