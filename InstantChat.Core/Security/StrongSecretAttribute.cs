using System.ComponentModel.DataAnnotations;

namespace InstantChat.Core.Security;

/// <summary>How strong a password or key must be: long enough, and not only white space (ten spaces are not a password).</summary>
public static class SecretStrength
{
    /// <summary>Users' passwords and ADMIN_PASSWORD (NIST SP 800-63B asks for at least 8; 12 resists offline guessing of a leaked hash).</summary>
    public const int MinPasswordLength = 12;

    public static bool IsStrong(string secret, int minLength) => secret.Length >= minLength && !string.IsNullOrWhiteSpace(secret);
}

/// <summary>
/// A secret taken from configuration: unset (or empty, as appsettings.json ships it) is allowed and
/// means "none" or "generate one"; a short or blank one stops start-up instead of guarding nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StrongSecretAttribute(int minLength) : ValidationAttribute
{
    public int MinLength => minLength;

    public override bool IsValid(object? value) => value is null or "" || (value is string s && SecretStrength.IsStrong(s, minLength));
}
