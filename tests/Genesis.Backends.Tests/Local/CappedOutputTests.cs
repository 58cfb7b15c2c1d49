using System.Text;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Local;

public sealed class CappedOutputTests
{
    [Fact]
    public async Task Everything_under_the_cap_is_kept()
    {
        var output = await CappedOutput.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("hello")), 10, CancellationToken.None);

        Assert.Equal("hello", output.Text());
        Assert.False(output.Truncated);
        Assert.Equal(5, output.TotalBytes);
    }

    [Fact]
    public async Task The_rest_is_read_and_counted_but_not_kept()
    {
        var bytes = new byte[300_000];
        bytes.AsSpan().Fill((byte)'a');

        var output = await CappedOutput.ReadAsync(new MemoryStream(bytes), 1000, CancellationToken.None);

        Assert.Equal(new string('a', 1000), output.Text());
        Assert.True(output.Truncated);
        Assert.Equal(300_000, output.TotalBytes);
    }

    [Fact]
    public async Task A_character_cut_by_the_cap_is_left_out()
    {
        // "é" is two bytes in UTF-8: a cap of 3 bytes cuts the second one in half.
        var output = await CappedOutput.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("éé")), 3, CancellationToken.None);

        Assert.Equal("é", output.Text());
        Assert.True(output.Truncated);
    }

    [Fact]
    public async Task A_zero_cap_keeps_nothing()
    {
        var output = await CappedOutput.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("x")), 0, CancellationToken.None);

        Assert.Equal(string.Empty, output.Text());
        Assert.True(output.Truncated);
    }
}
