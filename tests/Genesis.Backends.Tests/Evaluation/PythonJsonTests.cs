using Genesis.Execution;

namespace Genesis.Execution.Tests.Evaluation;

public sealed class PythonJsonTests
{
    [Theory]
    [InlineData("""{"a": NaN}""", """{"a": "NaN"}""")]
    [InlineData("""{"a": Infinity, "b": -Infinity}""", """{"a": "Infinity", "b": "-Infinity"}""")]
    [InlineData("""[NaN,Infinity,-Infinity]""", """["NaN","Infinity","-Infinity"]""")]
    [InlineData("""{"NaN": "Infinity", "s": "say \"NaN\" -Infinity"}""", """{"NaN": "Infinity", "s": "say \"NaN\" -Infinity"}""")]
    [InlineData("""{"a": 1.5, "b": null, "c": true}""", """{"a": 1.5, "b": null, "c": true}""")]
    public void Bare_non_finite_tokens_outside_strings_become_strings(string input, string expected) =>
        Assert.Equal(expected, PythonJson.QuoteNonFiniteLiterals(input));

    [Fact]
    public void Python_output_with_non_finite_values_parses()
    {
        using var document = PythonJson.Parse("""{"combined_score": NaN, "public": {"x": -Infinity}}""");

        Assert.Equal("NaN", document.RootElement.GetProperty("combined_score").GetString());
        Assert.Equal("-Infinity", document.RootElement.GetProperty("public").GetProperty("x").GetString());
    }

    [Fact]
    public void Text_that_is_not_json_still_fails()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => PythonJson.Parse("combined_score: 1"));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => PythonJson.Parse("{\"a\": NaNx}"));
    }
}
