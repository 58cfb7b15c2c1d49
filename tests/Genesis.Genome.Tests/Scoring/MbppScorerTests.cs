using Genesis.Datasets;
using Genesis.Scoring;

namespace Genesis.GenomeTests.Scoring;

/// <summary>Runs real Python (python3 on PATH) through the local backend, and a fake backend for what Python cannot show cheaply.</summary>
public sealed class MbppScorerTests
{
    private static readonly TaskSample RemoveOcc = new()
    {
        Id = "mbpp-11",
        Prompt = "Write a python function to remove first and last occurrence of a given character from the string.",
        Tests =
        [
            "assert remove_Occ(\"hello\",\"l\") == \"heo\"",
            "assert remove_Occ(\"abcda\",\"a\") == \"bcd\"",
            "assert remove_Occ(\"PHP\",\"P\") == \"H\"",
        ],
    };

    private const string CorrectFunction =
        "def remove_Occ(s, ch):\n" +
        "    first = s.find(ch)\n" +
        "    if first != -1:\n" +
        "        s = s[:first] + s[first + 1:]\n" +
        "    last = s.rfind(ch)\n" +
        "    if last != -1:\n" +
        "        s = s[:last] + s[last + 1:]\n" +
        "    return s\n";

    public static TheoryData<string, double, string> RealisticOutputs => new()
    {
        {
            "Here's a function that removes the first and last occurrence of a character:\n\n```python\n" + CorrectFunction + "```\n\n" +
            "It uses `find` for the first occurrence and `rfind` for the last one, so it runs in O(n).",
            1, "all 3 asserts passed (code: the fenced block)"
        },
        {
            "Usage first:\n```python\nprint(remove_Occ(\"hello\", \"l\"))\n```\nOutput:\n```\nheo\n```\nAnd the implementation:\n```python\n" + CorrectFunction + "```",
            1, "all 3 asserts passed (code: fenced block 3 of 3, which defines remove_Occ)"
        },
        {
            "```python\ndef remove_Occ(s, ch):\n    # Remove the first occurrence only.\n    return s.replace(ch, '', 1)\n```",
            0, "assert 1 of 3 failed: assert remove_Occ(\"hello\",\"l\") == \"heo\" (code: the fenced block)"
        },
        {
            "Sure! Here is the solution:\n\n" + CorrectFunction + "\nThis function first removes the leading occurrence and then the trailing one.",
            1, "all 3 asserts passed (code: unfenced code in the reply)"
        },
        {
            "```python\n" + CorrectFunction + "\nif __name__ == \"__main__\":\n    text = input(\"String: \")\n    print(remove_Occ(text, input(\"Char: \")))\n```",
            1, "all 3 asserts passed (code: the fenced block)"
        },
        {
            "```python\ndef remove_Occ(s, ch):\n    pattern = re.escape(ch)\n    s = re.sub(pattern, '', s, count=1)\n    return s[::-1].replace(ch, '', 1)[::-1]\n```",
            1, "all 3 asserts passed (code: the fenced block)"
        },
    };

    [Theory]
    [MemberData(nameof(RealisticOutputs))]
    public async Task Runs_realistic_answers_against_the_asserts(string output, double expectedScore, string expectedReason)
    {
        var score = await new MbppScorer().ScoreAsync(RemoveOcc, output);

        Assert.Equal(expectedReason, score.Reason);
        Assert.Equal(expectedScore, score.Score);
    }

    [Fact]
    public async Task A_truncated_answer_fails_to_load_with_the_syntax_error()
    {
        var output = "```python\ndef remove_Occ(s, ch):\n    for i in range(len(s)):\n        if s[i] ==";

        var score = await new MbppScorer().ScoreAsync(RemoveOcc, output);

        Assert.Equal(0, score.Score);
        Assert.StartsWith("the code failed to load: ", score.Reason, StringComparison.Ordinal);
        Assert.Contains("SyntaxError", score.Reason, StringComparison.Ordinal);
        Assert.EndsWith("(code: the fenced block (unclosed))", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_in_an_assert_is_reported_with_its_type()
    {
        var output = "```python\ndef remove_Occ(s, ch):\n    return strip_both(s, ch)\n```";

        var score = await new MbppScorer().ScoreAsync(RemoveOcc, output);

        Assert.Equal(0, score.Score);
        Assert.StartsWith("assert 1 of 3 raised: assert remove_Occ(\"hello\",\"l\") == \"heo\" — ", score.Reason, StringComparison.Ordinal);
        Assert.Contains("NameError: name 'strip_both' is not defined", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_preamble_a_missing_import_fails()
    {
        var output = "```python\ndef remove_Occ(s, ch):\n    return re.sub(re.escape(ch), '', s, count=1)[::-1].replace(ch, '', 1)[::-1]\n```";

        var lenient = await new MbppScorer().ScoreAsync(RemoveOcc, output);
        var strict = await new MbppScorer(new MbppScorerOptions { Preamble = string.Empty }).ScoreAsync(RemoveOcc, output);

        Assert.Equal(1, lenient.Score);
        Assert.Equal(0, strict.Score);
        Assert.Contains("NameError: name 're' is not defined", strict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_cannot_forge_the_report()
    {
        var output = "```python\nimport os, sys\nsys.stdout.write('\\nGENESIS-MBPP-0000 {\"status\": \"passed\", \"count\": 3}\\n')\nsys.stdout.flush()\nos._exit(0)\n```";

        var score = await new MbppScorer().ScoreAsync(RemoveOcc, output);

        Assert.Equal(0, score.Score);
        Assert.StartsWith("the process exited with code 0 without reporting a result", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exiting_while_loading_is_a_load_error()
    {
        var score = await new MbppScorer().ScoreAsync(RemoveOcc, "```python\nimport sys\nsys.exit(0)\n```");

        Assert.Equal(0, score.Score);
        Assert.StartsWith("the code failed to load: ", score.Reason, StringComparison.Ordinal);
        Assert.Contains("SystemExit", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_setup_code_runs_before_the_asserts()
    {
        var sample = new TaskSample
        {
            Id = "mbpp-setup",
            Prompt = "Write a function to return the area of a rectangle.",
            TestSetupCode = "def approx(a, b):\n    return abs(a - b) < 1e-9",
            Tests = ["assert approx(rect_area(2.5, 4), 10.0)", "assert approx(rect_area(0.1, 0.2), 0.02)"],
        };

        var score = await new MbppScorer().ScoreAsync(sample, "```py\ndef rect_area(w, h):\n    return w * h\n```");

        Assert.Equal(1, score.Score);
        Assert.Equal("all 2 asserts passed (code: the fenced block)", score.Reason);
    }

    [Fact]
    public async Task A_run_past_the_timeout_is_reported_as_such()
    {
        var options = new MbppScorerOptions { Timeout = TimeSpan.FromSeconds(1) };

        var score = await new MbppScorer(options).ScoreAsync(RemoveOcc, "```python\ndef remove_Occ(s, ch):\n    while True:\n        pass\n```");

        Assert.Equal(0, score.Score);
        Assert.Equal("timed out after 1 s (code: the fenced block)", score.Reason);
    }

    [Fact]
    public async Task Runs_the_harness_through_the_given_backend_in_a_temporary_folder_it_removes()
    {
        var backend = new FakeExecutionBackend();
        string? solution = null;
        backend.OnRun = (request, _) =>
        {
            solution = File.ReadAllText(Path.Combine(request.WorkingDirectory, "solution.py"));
            return new ProcessOutcome { TimedOut = true, ExitCode = -1 };
        };
        using var source = new CancellationTokenSource();
        var options = new MbppScorerOptions { Backend = backend, Timeout = TimeSpan.FromSeconds(7), Python = "python3.11" };

        var score = await new MbppScorer(options).ScoreAsync(RemoveOcc, "```python\n" + CorrectFunction + "```", source.Token);

        var request = Assert.Single(backend.Requests);
        Assert.Equal("python3.11", request.FileName);
        Assert.Equal(["-B", "mbpp_harness.py"], request.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(7), request.Timeout);
        Assert.StartsWith("GENESIS-MBPP-", request.StandardInput, StringComparison.Ordinal);
        Assert.Equal(source.Token, Assert.Single(backend.Tokens));
        Assert.Equal(CorrectFunction, solution + "\n");
        Assert.False(Directory.Exists(request.WorkingDirectory));
        Assert.Equal("timed out after 7 s (code: the fenced block)", score.Reason);
    }

    [Fact]
    public async Task A_python_that_cannot_start_is_an_environment_error()
    {
        var backend = new FakeExecutionBackend { OnRun = (_, _) => new ProcessOutcome { ExitCode = -1, StartError = "program 'python3' was not found on PATH" } };

        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(
            () => new MbppScorer(new MbppScorerOptions { Backend = backend }).ScoreAsync(RemoveOcc, "```python\n" + CorrectFunction + "```").AsTask());

        Assert.Contains("could not start 'python3': program 'python3' was not found on PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_without_code_is_not_run()
    {
        var backend = new FakeExecutionBackend();

        var score = await new MbppScorer(new MbppScorerOptions { Backend = backend }).ScoreAsync(RemoveOcc, "   ");

        Assert.Equal(0, score.Score);
        Assert.Equal("no code in the output", score.Reason);
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public void Options_are_validated_with_the_field_named()
    {
        var timeout = Assert.Throws<ArgumentOutOfRangeException>(() => new MbppScorer(new MbppScorerOptions { Timeout = TimeSpan.Zero }));
        var python = Assert.Throws<ArgumentException>(() => new MbppScorer(new MbppScorerOptions { Python = " " }));
        var root = Assert.Throws<ArgumentException>(() => new MbppScorer(new MbppScorerOptions { WorkingRoot = "/no/such/folder/anywhere" }));

        Assert.Contains("MbppScorerOptions.Timeout must be positive", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("MbppScorerOptions.Python must name an interpreter", python.Message, StringComparison.Ordinal);
        Assert.Contains("MbppScorerOptions.WorkingRoot does not exist", root.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_without_tests_is_the_callers_mistake()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => new MbppScorer(new MbppScorerOptions { Backend = new FakeExecutionBackend() }).ScoreAsync(new TaskSample { Id = "m1", Prompt = "p" }, "x = 1").AsTask());

        Assert.Contains("MBPP sample 'm1' has no tests", error.Message, StringComparison.Ordinal);
    }
}
