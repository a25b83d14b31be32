using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Workflows.Schedules;

/// <summary>
/// The lease-expiry sweep's report of one expired lease against real Postgres (a database of its own): two passes at
/// once (a scheduled tick while an earlier pass still comments, a second Workers process) tell the pull request once,
/// and a report that failed is left to the next pass.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LeaseExpiryReportTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() =>
        _database = await TestDatabase.CreateAsync((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres))!);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task APassReportingALease_MakesAPassAlongsideSkipIt_AndAFailedReportIsLeftForTheNext()
    {
        await _database.ScalarAsync<object?>("""
            INSERT INTO review_environment_leases (pool, org, provider, repository, pull_request, project_key, leased_at, expires_at)
            VALUES ('pool', 'review-1', 'github', 'acme/app', 7, 'acme', now() - interval '1 day', now() - interval '1 minute')
            """);
        var since = DateTimeOffset.UtcNow - TimeSpan.FromDays(3);
        await using var firstContext = _database.CreateContext();
        var first = new ReviewEnvironmentLeases(firstContext);
        var lease = Assert.Single(await first.ExpiredUnreportedAsync(since, 100, Cancellation));

        // Telling fails (GitHub unreachable): nothing is recorded, the next pass tells.
        await Assert.ThrowsAsync<HttpRequestException>(() => first.ReportExpiryAsync(lease, _ => throw new HttpRequestException("unreachable"), Cancellation));
        Assert.False(await ReportedAsync());

        // While this pass tells, a second pass lists the same lease and skips it.
        var told = 0;
        Assert.True(await first.ReportExpiryAsync(lease, async ct =>
        {
            told++;
            await using var secondContext = _database.CreateContext();
            var second = new ReviewEnvironmentLeases(secondContext);
            var same = Assert.Single(await second.ExpiredUnreportedAsync(since, 100, ct));
            Assert.False(await second.ReportExpiryAsync(same, _ => Task.FromResult(++told), ct));
        }, Cancellation));
        Assert.Equal(1, told);
        Assert.True(await ReportedAsync());

        // Reported: no pass lists it or tells it again.
        Assert.Empty(await first.ExpiredUnreportedAsync(since, 100, Cancellation));
        Assert.False(await first.ReportExpiryAsync(lease, _ => Task.FromResult(++told), Cancellation));
        Assert.Equal(1, told);
    }

    private Task<bool> ReportedAsync() =>
        _database.ScalarAsync<bool>("SELECT expiry_reported_at IS NOT NULL FROM review_environment_leases WHERE pool = 'pool' AND org = 'review-1'");
}
