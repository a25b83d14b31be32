using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfpPlatform.Core.Providers.AzureDevOps;

/// <summary>
/// Azure DevOps REST (api-version 7.1) for one organisation, authenticated with a PAT as basic auth (empty user).
/// The .NET client library is not used: it is not served here, and the REST API is small.
/// </summary>
public sealed class AzureDevOpsClient
{
    public const string HttpClientName = "azure-devops";
    public const string ApiVersion = "7.1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpClient _http;
    private readonly string _pat;

    public AzureDevOpsClient(HttpClient http, Uri organizationUrl, string pat)
    {
        _http = http;
        _pat = pat;
        OrganizationUrl = new Uri(organizationUrl.AbsoluteUri.TrimEnd('/') + "/");
        _http.BaseAddress = OrganizationUrl;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + pat)));
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    public Uri OrganizationUrl { get; }

    /// <summary>The PAT, for the environment of a command a workflow runs (masked in its output). Never log it.</summary>
    public string Token => _pat;

    public Task<AzureDevOpsRepository> GetRepositoryAsync(string project, string repository, CancellationToken cancellationToken = default) =>
        GetAsync<AzureDevOpsRepository>($"{Escape(project)}/_apis/git/repositories/{Escape(repository)}", cancellationToken);

    public Task<AzureDevOpsPullRequest> GetPullRequestAsync(string project, string repository, int pullRequestId, CancellationToken cancellationToken = default) =>
        GetAsync<AzureDevOpsPullRequest>($"{Escape(project)}/_apis/git/repositories/{Escape(repository)}/pullrequests/{pullRequestId}", cancellationToken);

    /// <summary>Posts a pull request status (the check shown on the PR).</summary>
    public async Task<int> CreatePullRequestStatusAsync(string project, string repository, int pullRequestId, AzureDevOpsStatus status, CancellationToken cancellationToken = default)
    {
        using var created = await PostAsync($"{Escape(project)}/_apis/git/repositories/{Escape(repository)}/pullRequests/{pullRequestId}/statuses", StatusBody(status), cancellationToken);
        return created.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>Posts a commit status (what a push's build reports; a pull request shows its own statuses).</summary>
    public async Task<int> CreateCommitStatusAsync(string project, string repository, string commitId, AzureDevOpsStatus status, CancellationToken cancellationToken = default)
    {
        using var created = await PostAsync($"{Escape(project)}/_apis/git/repositories/{Escape(repository)}/commits/{Escape(commitId)}/statuses", StatusBody(status), cancellationToken);
        return created.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>The repository's files at a commit, as the zip the items API serves (paths relative to the root).</summary>
    public async Task<byte[]> DownloadZipAsync(string project, string repository, string commitId, CancellationToken cancellationToken = default)
    {
        var path = $"{Escape(project)}/_apis/git/repositories/{Escape(repository)}/items";
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{path}?path=%2F&recursionLevel=full&download=true&%24format=zip&versionDescriptor.version={Escape(commitId)}&versionDescriptor.versionType=commit&api-version={ApiVersion}");
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("application/zip");
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, path);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Starts a comment thread on a pull request; returns the thread id.</summary>
    public async Task<int> CreateThreadAsync(string project, string repository, int pullRequestId, string content, CancellationToken cancellationToken = default)
    {
        var body = new { comments = new[] { new { parentCommentId = 0, content, commentType = 1 } }, status = 1 };
        using var created = await PostAsync($"{Escape(project)}/_apis/git/repositories/{Escape(repository)}/pullRequests/{pullRequestId}/threads", body, cancellationToken);
        return created.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>Replies in an existing thread; returns the comment id.</summary>
    public async Task<int> AddCommentAsync(string project, string repository, int pullRequestId, int threadId, string content, CancellationToken cancellationToken = default)
    {
        var body = new { parentCommentId = 1, content, commentType = 1 };
        using var created = await PostAsync($"{Escape(project)}/_apis/git/repositories/{Escape(repository)}/pullRequests/{pullRequestId}/threads/{threadId}/comments", body, cancellationToken);
        return created.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>Queues a pipeline run on a branch; returns the run id.</summary>
    public async Task<int> RunPipelineAsync(string project, int pipelineId, string refName, CancellationToken cancellationToken = default)
    {
        var body = new { resources = new { repositories = new { self = new { refName } } } };
        using var created = await PostAsync($"{Escape(project)}/_apis/pipelines/{pipelineId}/runs", body, cancellationToken);
        return created.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>An HTTPS clone URL carrying the PAT. It holds a secret: pass it to git, never to a log.</summary>
    public string CloneUrl(string project, string repository)
    {
        var url = new UriBuilder(OrganizationUrl) { UserName = "sfp", Password = _pat };
        url.Path = url.Path.TrimEnd('/') + $"/{Escape(project)}/_git/{Escape(repository)}";
        return url.Uri.AbsoluteUri;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"{path}?api-version={ApiVersion}", cancellationToken);
        await EnsureSuccessAsync(response, path);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private async Task<JsonDocument> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"{path}?api-version={ApiVersion}", body, Json, cancellationToken);
        await EnsureSuccessAsync(response, path);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    private static Task EnsureSuccessAsync(HttpResponseMessage response, string path) =>
        response.IsSuccessStatusCode
            // A PAT that is not accepted often comes back as 203 with a sign-in page.
            && response.StatusCode != System.Net.HttpStatusCode.NonAuthoritativeInformation
            ? Task.CompletedTask
            : throw new HttpRequestException($"Azure DevOps answered {(int)response.StatusCode} {response.ReasonPhrase} for {path}.", null, response.StatusCode);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>The body of a status, the same for pull requests and commits.</summary>
    private static object StatusBody(AzureDevOpsStatus status) => new
    {
        state = status.State,
        description = status.Description,
        targetUrl = status.TargetUrl,
        context = new { name = status.ContextName, genre = status.ContextGenre },
    };
}
