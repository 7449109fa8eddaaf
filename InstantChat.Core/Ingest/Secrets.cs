using System.Security.Cryptography;
using System.Text;

namespace InstantChat.Core.Ingest;

public static class Secrets
{
    /// <summary>
    /// Constant-time equality of two secrets of any length: both are hashed first so neither the
    /// content nor the length leaks through timing.
    /// </summary>
    public static bool FixedTimeEquals(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected)) return false;
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
