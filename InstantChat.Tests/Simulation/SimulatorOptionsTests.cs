using InstantChat.Core.Simulation;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Simulation;

public sealed class SimulatorOptionsTests
{
    static SimulatorOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<SimulatorOptions>().Bind(configuration).ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SimulatorOptions>>().Value;
    }

    [Fact]
    public void Bind_NothingSet_OffAtTwoPerSecond()
    {
        var options = Bind([]);
        Assert.False(options.Enabled);
        Assert.Equal(2, options.Rate);
    }

    [Fact]
    public void Bind_Variables_ReadFromTheConfigurationRoot()
    {
        var options = Bind(new() { ["SIMULATOR"] = "true", ["SIMULATOR_RATE"] = "0.5" });
        Assert.True(options.Enabled);
        Assert.Equal(0.5, options.Rate);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.05")]
    [InlineData("201")]
    [InlineData("NaN")]
    public void Bind_RateOutOfRange_FailsNamingTheVariable(string rate)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["SIMULATOR_RATE"] = rate }));
        Assert.Contains("SIMULATOR_RATE must be between 0.1 and 200", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The real host, as an operator starts it: one line on stderr naming the variable, exit code 1.</summary>
    [Theory]
    [InlineData("SIMULATOR_RATE", "0")]
    [InlineData("SIMULATOR_RATE", "abc")]
    [InlineData("SIMULATOR", "maybe")]
    public async Task Start_InvalidVariable_ExitsWithOneLineNamingIt(string variable, string value)
    {
        using var dir = new TempDir();
        await using var web = WebProcess.Start(new Dictionary<string, string> { ["DATA_DIR"] = dir.Path, [variable] = value });

        var exitCode = await web.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        var line = Assert.Single(web.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid configuration:", line);
        Assert.Contains(variable, line);
    }
}
