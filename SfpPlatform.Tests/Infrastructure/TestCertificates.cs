using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// A certificate authority made for one test run and a server certificate it signed for <c>localhost</c> (and the
/// loopback addresses), so a stand-in can speak HTTPS as the real service does. Node trusts the authority through
/// <c>NODE_EXTRA_CA_CERTS</c> = <see cref="AuthorityFile"/>; nothing is added to the machine's trust store.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TestFolder _folder = new();

    private TestCertificates(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
        AuthorityFile = Path.Combine(_folder.Path, "test-ca.pem");
        File.WriteAllText(AuthorityFile, authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate, with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The authority's certificate as PEM, for <c>NODE_EXTRA_CA_CERTS</c>.</summary>
    public string AuthorityFile { get; }

    public static TestCertificates Create()
    {
        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=SfpPlatform test CA", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var signed = serverRequest.Create(authority, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));

        // Kestrel needs the key with the certificate: round-trip through PKCS#12 so it is usable on every platform.
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new TestCertificates(authority, server);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        _folder.Dispose();
    }
}
