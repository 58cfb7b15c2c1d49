using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

public sealed class CodeExtractionTests
{
    [Theory]
    [InlineData("assert remove_Occ(\"hello\",\"l\") == \"heo\"", "remove_Occ")]
    [InlineData("assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))", "similar_elements")]
    [InlineData("assert math.isclose(volume_cone(5,12), 314.15926535897927, rel_tol=0.001)", "volume_cone")]
    [InlineData("assert not is_not_prime(2)", "is_not_prime")]
    public void Finds_the_function_the_asserts_call(string test, string expected)
    {
        Assert.Equal(expected, CodeExtraction.EntryPoint([test]));
    }

    [Fact]
    public void Skips_blocks_in_other_languages()
    {
        var output = "Run it with:\n```bash\npython solve.py\n```\nThe code:\n```python\ndef f(x):\n    return x + 1\n```\n```text\n2\n```";

        var (code, how) = CodeExtraction.Extract(output, "f");

        Assert.Equal("def f(x):\n    return x + 1", code);
        Assert.Equal("the fenced block", how);
    }

    [Fact]
    public void Joins_blocks_when_none_defines_the_entry_point()
    {
        var output = "```python\nimport math\n```\nthen\n```python\nradius = 2\n```";

        var (code, how) = CodeExtraction.Extract(output, "area");

        Assert.Equal("import math\n\nradius = 2", code);
        Assert.Equal("all 2 fenced blocks joined", how);
    }

    [Fact]
    public void Unfenced_code_stops_before_trailing_prose()
    {
        var output = "Here you go.\n\nimport re\ndef words(s):\n    return re.findall(r\"\\w+\", s)\n\nresult = words('a b')\nThis splits the text into words.";

        var (code, how) = CodeExtraction.Extract(output, "words");

        Assert.Equal("import re\ndef words(s):\n    return re.findall(r\"\\w+\", s)\n\nresult = words('a b')", code);
        Assert.Equal("unfenced code in the reply", how);
    }
}
