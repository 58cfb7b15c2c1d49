namespace Genesis.Abstractions.Tests;

public sealed class FeatureDimensionTests
{
    [Theory]
    [InlineData(-1.0, 0)]
    [InlineData(0.0, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.95, 9)]
    [InlineData(1.0, 9)]
    [InlineData(7.0, 9)]
    [InlineData(double.NaN, 0)]
    public void BinOf_clamps_into_the_grid(double value, int expected)
    {
        var dimension = new FeatureDimension("m", 0, 1, 10);
        Assert.Equal(expected, dimension.BinOf(value));
    }

    [Fact]
    public void Validate_names_the_bad_field()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureDimension("m", 0, 1, 0).Validate());
        Assert.Contains("Bins must be between 1 and 1000, was 0", ex.Message, StringComparison.Ordinal);
        var range = Assert.Throws<ArgumentException>(() => new FeatureDimension("m", 1, 1).Validate());
        Assert.Contains("Min < Max", range.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_results_never_claim_success()
    {
        Assert.Throws<ArgumentException>(() => EvaluationResult.Failure(EvaluationStatus.Succeeded, "x"));
        var failure = EvaluationResult.Failure(EvaluationStatus.Crashed, "boom");
        Assert.False(failure.IsSuccess);
        Assert.Equal("boom", failure.TextFeedback);
        var candidate = new Candidate { Id = 1, Code = "x", Status = CandidateStatus.Evaluated, Evaluation = failure };
        Assert.Equal(double.NegativeInfinity, candidate.Score);
        Assert.False(candidate.IsCorrect);
    }

    [Theory]
    [InlineData("python", ".py")]
    [InlineData("py", ".py")]
    [InlineData(".rs", ".rs")]
    [InlineData("C#", ".cs")]
    [InlineData("node", ".js")]
    public void Languages_are_found_by_name_or_extension(string key, string extension)
    {
        Assert.Equal(extension, ProgramLanguage.Find(key)!.FileExtension);
        Assert.Null(ProgramLanguage.Find("cobol"));
    }
}
