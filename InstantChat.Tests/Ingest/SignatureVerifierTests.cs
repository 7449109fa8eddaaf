using System.Text;
using InstantChat.Core.Ingest;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Ingest;

public sealed class SignatureVerifierTests
{
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"object":"instagram","entry":[]}""");

    static SignatureVerifier Verifier(string? instagram = Signing.Secret, string? meta = null, bool allowUnsigned = false) =>
        new(Options.Create(new WebhookOptions { InstagramAppSecret = instagram, MetaAppSecret = meta, AllowUnsigned = allowUnsigned }));

    [Fact]
    public void Verify_LowercaseHex_Accepts() => Assert.Equal(SignatureCheck.Valid, Verifier().Verify(Body, Signing.Header(Body)));

    [Fact]
    public void Verify_UppercaseHex_Accepts() =>
        Assert.Equal(SignatureCheck.Valid, Verifier().Verify(Body, "sha256=" + Signing.Header(Body)["sha256=".Length..].ToUpperInvariant()));

    [Fact]
    public void Verify_SignedWithMetaAppSecret_Accepts() =>
        Assert.Equal(SignatureCheck.Valid, Verifier(meta: Signing.OtherSecret).Verify(Body, Signing.Header(Body, Signing.OtherSecret)));

    [Fact]
    public void Verify_OnlyMetaAppSecretConfigured_Accepts() =>
        Assert.Equal(SignatureCheck.Valid, Verifier(instagram: null, meta: Signing.OtherSecret).Verify(Body, Signing.Header(Body, Signing.OtherSecret)));

    [Fact]
    public void VerifyDelivery_BodyInChunks_SameVerdictAsWhole()
    {
        var body = Encoding.UTF8.GetBytes(new string('x', 50_000));

        Assert.Equal(SignatureCheck.Valid, Verifier().VerifyDelivery(TestSupport.Chunked.Split(body, 16_384), Signing.Header(body)).Check);
        Assert.Equal(SignatureCheck.Mismatch, Verifier().VerifyDelivery(TestSupport.Chunked.Split(body, 16_384), Signing.Header(body, "other")).Check);
    }

    [Fact]
    public void Verify_WrongSecret_Rejects() =>
        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(Body, Signing.Header(Body, "another-secret")));

    [Fact]
    public void Verify_BodyChangedByOneByte_Rejects()
    {
        var header = Signing.Header(Body);
        var tampered = Body.ToArray();
        tampered[^2] ^= 1;
        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(tampered, header));
    }

    [Fact]
    public void Verify_MissingHeader_Rejects()
    {
        Assert.Equal(SignatureCheck.Missing, Verifier().Verify(Body, null));
        Assert.Equal(SignatureCheck.Missing, Verifier().Verify(Body, ""));
    }

    [Fact]
    public void Verify_Sha1HeaderOnly_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, "sha1=" + new string('a', 40)));

    [Fact]
    public void Verify_NoPrefix_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, Signing.Header(Body)["sha256=".Length..]));

    [Fact]
    public void Verify_UppercasePrefix_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, "SHA256=" + Signing.Header(Body)["sha256=".Length..]));

    [Fact]
    public void Verify_ExtraSpaces_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, "sha256= " + Signing.Header(Body)["sha256=".Length..]));

    [Fact]
    public void Verify_TruncatedDigest_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, Signing.Header(Body)[..^2]));

    [Fact]
    public void Verify_NonHexDigits_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, "sha256=" + new string('z', 64)));

    [Fact]
    public void Verify_TwoHeaderValuesJoined_Rejects() =>
        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify(Body, Signing.Header(Body) + "," + Signing.Header(Body)));

    [Fact]
    public void Verify_NoSecretConfigured_FailsClosed() =>
        Assert.Equal(SignatureCheck.NoSecret, Verifier(instagram: null).Verify(Body, Signing.Header(Body)));

    [Fact]
    public void Verify_NoSecretButUnsignedAllowed_Allows() =>
        Assert.Equal(SignatureCheck.AllowedUnsigned, Verifier(instagram: null, allowUnsigned: true).Verify(Body, null));

    [Fact]
    public void Verify_SecretConfiguredAndUnsignedAllowed_StillChecks() =>
        Assert.Equal(SignatureCheck.Missing, Verifier(allowUnsigned: true).Verify(Body, null));
}
