using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.ReviewEnvironments;

/// <summary><c>ReviewEnvironments</c>: a positive lease, and every pooled org named, with an absolute login URL where one is given.</summary>
public sealed class ReviewEnvironmentOptionsValidator : IValidateOptions<ReviewEnvironmentOptions>
{
    public ValidateOptionsResult Validate(string? name, ReviewEnvironmentOptions options)
    {
        var errors = new List<string>();
        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            errors.Add($"{ReviewEnvironmentOptions.SectionName}:{nameof(ReviewEnvironmentOptions.LeaseDuration)} is {options.LeaseDuration}: it must be positive.");
        }

        foreach (var (pool, value) in options.Pools)
        {
            for (var i = 0; i < value.Orgs.Count; i++)
            {
                var key = $"{ReviewEnvironmentOptions.SectionName}:{nameof(ReviewEnvironmentOptions.Pools)}:{pool}:{nameof(ReviewEnvironmentPool.Orgs)}:{i}";
                if (string.IsNullOrWhiteSpace(value.Orgs[i].Name))
                {
                    errors.Add($"{key}:{nameof(ReviewOrg.Name)} is not set: an org of a pool is leased by its alias.");
                }

                if (value.Orgs[i].LoginUrl is { IsAbsoluteUri: false } login)
                {
                    errors.Add($"{key}:{nameof(ReviewOrg.LoginUrl)} is '{login}': not an absolute URL.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
