using System.ComponentModel.DataAnnotations;

namespace InstantChat.Core.Security;

/// <summary>
/// A secret taken from configuration: unset (or empty, as appsettings.json ships it) is allowed and
/// means "none" or "generate one"; a short or blank one stops start-up instead of guarding nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StrongSecretAttribute(int minLength) : ValidationAttribute
{
    public int MinLength => minLength;

    public override bool IsValid(object? value) => value is null or "" || (value is string s && Passwords.IsStrong(s, minLength));
}
