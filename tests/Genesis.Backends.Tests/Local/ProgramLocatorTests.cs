using Genesis.Execution.Tests.Support;
using Genesis.Execution;

namespace Genesis.Execution.Tests.Local;

public sealed class ProgramLocatorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_bare_name_is_found_on_the_given_path()
    {
        var bin = _folder.Folder("bin");
        var tool = _folder.Write("bin/tool", "#!/bin/sh\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        Assert.Equal(tool, ProgramLocator.Resolve("tool", _folder.Path, $"/nonexistent{Path.PathSeparator}{bin}", out var error));
        Assert.Null(error);
    }

    [Fact]
    public void A_name_missing_from_the_path_says_so()
    {
        Assert.Null(ProgramLocator.Resolve("tool", _folder.Path, _folder.Path, out var error));
        Assert.Equal("program 'tool' was not found on PATH", error);
    }

    [Fact]
    public void A_folder_is_not_a_program()
    {
        _folder.Folder("sub");

        Assert.Null(ProgramLocator.Resolve("./sub", _folder.Path, null, out var error));
        Assert.Equal("program './sub' is a folder, not a program", error);
    }
}
