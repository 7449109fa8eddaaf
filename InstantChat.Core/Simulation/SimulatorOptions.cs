using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace InstantChat.Core.Simulation;

/// <summary>The demo traffic simulator: off unless asked for, bound from the configuration root like every variable.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Start sending demo traffic with the host. The dashboard can also start and stop it at run time.</summary>
    [ConfigurationKeyName("SIMULATOR")]
    public bool Enabled { get; init; }

    /// <summary>Deliveries per second while the simulator runs.</summary>
    [ConfigurationKeyName("SIMULATOR_RATE")]
    [Range(0.1, 200, ErrorMessage = "SIMULATOR_RATE must be between {1} and {2} deliveries per second.")]
    public double Rate { get; init; } = 2;
}
