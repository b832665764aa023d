using System.Net;
using Microsoft.AspNetCore.Http;

namespace CarTLabPipeline.Http.Tests;

public sealed class SignedInUserTests
{
    private static DefaultHttpContext Context(string remote, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Development_Loopback_IsTheDevelopmentIdentity(string remote)
    {
        var user = SignedInUser.Of(Context(remote), new HttpApiOptions { Identity = IdentitySource.Development });

        Assert.Equal(new SignedInUser(HttpApiOptions.DefaultDevelopmentUser, Development: true), user);
    }

    [Fact]
    public void Development_FromAnotherMachine_IsNobody_EvenWithPrincipalHeaders()
    {
        var user = SignedInUser.Of(Context("10.1.2.3", (SignedInUser.PrincipalNameHeader, "dr@x")), new HttpApiOptions { Identity = IdentitySource.Development });

        Assert.Null(user);
    }

    [Fact]
    public void EasyAuth_NameHeader_ElsePrincipalId_ElseNobody()
    {
        var options = new HttpApiOptions();

        Assert.Equal("dr@x", SignedInUser.Of(Context("10.0.0.1", (SignedInUser.PrincipalNameHeader, " dr@x ")), options)?.Name);
        Assert.Equal("0000-app", SignedInUser.Of(Context("10.0.0.1", (SignedInUser.PrincipalIdHeader, "0000-app")), options)?.Name);
        Assert.Null(SignedInUser.Of(Context("127.0.0.1"), options));
    }
}
