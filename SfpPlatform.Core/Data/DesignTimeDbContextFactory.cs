using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SfpPlatform.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting a service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<SfpDbContext>
{
    public SfpDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SfpDbContext>().UseNpgsql("Host=localhost;Database=sfp").UseSfpConventions().Options);
}
