using System.Security.Cryptography;
using System.Text;

namespace InstantChat.Core.Security;

/// <summary>A dashboard user. Usernames are compared case-insensitively (stored lower-case).</summary>
public sealed record User(
    string UserId,
    string Username,
    string Role,
    string PasswordHash,
    bool Disabled,
    int FailedLogins,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt);

public interface IUserStore
{
    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);
    Task<User?> FindAsync(string userId, CancellationToken cancellationToken);
    Task<User?> FindByNameAsync(string username, CancellationToken cancellationToken);
    /// <summary>False when the username is taken.</summary>
    Task<bool> CreateAsync(User user, CancellationToken cancellationToken);
    Task<bool> UpdateAsync(User user, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>PBKDF2-SHA256 with a per-user salt, in a self-describing string so the cost can rise later.</summary>
public static class Passwords
{
    const int Iterations = 210_000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
    const int SaltBytes = 16;
    const int HashBytes = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not ["pbkdf2-sha256", var iterations, var salt, var hash] || !int.TryParse(iterations, out var n)) return false;
        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), n, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A random password for the built-in admin when ADMIN_PASSWORD is not set.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
