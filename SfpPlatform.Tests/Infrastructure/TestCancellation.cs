namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The one test cancellation token (xunit's, cancelled when the test is aborted or times out), in scope in every test
/// file through a global <c>using static</c>.
/// </summary>
public static class TestCancellation
{
    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;
}
