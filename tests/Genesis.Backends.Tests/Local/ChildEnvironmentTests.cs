using System.Collections;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Local;

public sealed class ChildEnvironmentTests
{
    [Theory]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("api_key")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("HF_Token")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("DB_PASSWORD")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("GENESIS_LLM_BASE_URL")]
    [InlineData("genesis_llm_model")]
    public void Names_that_look_like_secrets_are_secret(string name) => Assert.True(ChildEnvironment.IsSecret(name));

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("LANG")]
    [InlineData("PYTHONPATH")]
    [InlineData("GENESIS_RUN_FOLDER")]
    public void Ordinary_names_are_not_secret(string name) => Assert.False(ChildEnvironment.IsSecret(name));

    [Fact]
    public void The_host_minus_secrets_then_defaults_then_overrides_make_the_environment()
    {
        var host = new Hashtable { ["PATH"] = "/bin", ["MY_API_KEY"] = "k", ["KEEP"] = "1", ["DROP"] = "x", ["PYTHONUNBUFFERED"] = "0" };
        var target = new Dictionary<string, string?> { ["STALE"] = "from before" };

        ChildEnvironment.Fill(target, host, inherited: null, new Dictionary<string, string?> { ["DROP"] = null, ["ADDED"] = "a", ["PYTHONDONTWRITEBYTECODE"] = "0" });

        Assert.Equal(
            new Dictionary<string, string?> { ["PATH"] = "/bin", ["KEEP"] = "1", ["ADDED"] = "a", ["PYTHONUNBUFFERED"] = "1", ["PYTHONDONTWRITEBYTECODE"] = "0" },
            target);
    }

    [Fact]
    public void An_allow_list_takes_exactly_the_listed_host_variables()
    {
        var host = new Hashtable { ["PATH"] = "/bin", ["MY_API_KEY"] = "k", ["OTHER"] = "o" };
        var target = new Dictionary<string, string?>();

        ChildEnvironment.Fill(target, host, ["PATH", "MY_API_KEY", "ABSENT"], new Dictionary<string, string?>());

        Assert.Equal(
            new Dictionary<string, string?> { ["PATH"] = "/bin", ["MY_API_KEY"] = "k", ["PYTHONUNBUFFERED"] = "1", ["PYTHONDONTWRITEBYTECODE"] = "1" },
            target);
    }
}
