using SfpPlatform.Core.Retention;

namespace SfpPlatform.UnitTests.Core.Retention;

/// <summary>The purge's batching settings: a batch of 1 to 100,000 rows, a pause of at most a minute.</summary>
public sealed class RetentionOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new RetentionOptionsValidator().Validate(null, new RetentionOptions()).Succeeded);
    }

    [Theory]
    [InlineData(0, 0, "Retention:BatchSize is 0: between 1 and 100000 rows.")]
    [InlineData(100_001, 0, "Retention:BatchSize is 100001: between 1 and 100000 rows.")]
    [InlineData(500, -1, "Retention:BatchPause is -00:00:00.0010000: between 00:00:00 and 00:01:00.")]
    [InlineData(500, 60_001, "Retention:BatchPause is 00:01:00.0010000: between 00:00:00 and 00:01:00.")]
    public void Batching_OutOfRange_IsRefusedWithItsKey(int batchSize, int pauseMilliseconds, string expected)
    {
        var result = new RetentionOptionsValidator().Validate(null, new RetentionOptions
        {
            BatchSize = batchSize,
            BatchPause = TimeSpan.FromMilliseconds(pauseMilliseconds),
        });

        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public void BodiesAndLogs_ShorterThanADay_AreRefusedWithTheirKeys()
    {
        var result = new RetentionOptionsValidator().Validate(null, new RetentionOptions
        {
            Bodies = TimeSpan.FromMinutes(10),
            Logs = TimeSpan.FromHours(1),
        });

        Assert.Equal(
            ["Retention:Bodies is 00:10:00: keep at least one day (e.g. 90.00:00:00 for 90 days).",
             "Retention:Logs is 01:00:00: keep at least one day (e.g. 90.00:00:00 for 90 days)."],
            result.Failures!);
    }
}
