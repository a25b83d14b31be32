using Microsoft.EntityFrameworkCore;

namespace SfpPlatform.Core.Data;

public static class SfpDbContextOptions
{
    /// <summary>
    /// The conventions the model is built with: column names are the properties' names in snake_case
    /// (EFCore.NamingConventions). Every place that configures an <see cref="SfpDbContext"/> calls this — the Api's and
    /// the Workers' pooled registrations among them, where <c>OnConfiguring</c> may not change the options.
    /// </summary>
    public static TBuilder UseSfpConventions<TBuilder>(this TBuilder options) where TBuilder : DbContextOptionsBuilder
    {
        options.UseSnakeCaseNamingConvention();
        return options;
    }
}
