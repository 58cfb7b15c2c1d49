namespace Genesis.Execution.Tests.Languages;

public sealed class ToolchainsTests
{
    [Fact]
    public void For_returns_the_default_toolchain_of_each_language()
    {
        Assert.IsType<PythonToolchain>(Toolchains.For(ProgramLanguage.Python));
        Assert.IsType<RustToolchain>(Toolchains.For(ProgramLanguage.Rust));
        Assert.IsType<CppToolchain>(Toolchains.For(ProgramLanguage.Cpp));
        Assert.IsType<JavaScriptToolchain>(Toolchains.For(ProgramLanguage.JavaScript));
        Assert.IsType<TypeScriptToolchain>(Toolchains.For(ProgramLanguage.TypeScript));
    }

    [Fact]
    public void Each_toolchain_builds_its_language()
    {
        foreach (var language in new[] { ProgramLanguage.Python, ProgramLanguage.Rust, ProgramLanguage.Cpp, ProgramLanguage.JavaScript, ProgramLanguage.TypeScript })
        {
            Assert.Equal(language, Toolchains.For(language).Language);
        }
    }

    [Fact]
    public void A_language_without_a_toolchain_is_refused_with_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => Toolchains.For(new ProgramLanguage("cobol", ".cob", "*>")));

        Assert.StartsWith("No built-in toolchain builds 'cobol'.", error.Message, StringComparison.Ordinal);
        Assert.Equal("language", error.ParamName);
    }

    [Fact]
    public void The_default_cache_folder_follows_GENESIS_CACHE_DIR_or_the_home_folder()
    {
        Assert.Equal("/data/builds", CompileCache.ResolveDefaultDirectory("/data/builds", "/home/user"));
        Assert.Equal("/home/user/.cache/genesis/builds", CompileCache.ResolveDefaultDirectory(null, "/home/user"));
        Assert.Equal("/home/user/.cache/genesis/builds", CompileCache.ResolveDefaultDirectory("  ", "/home/user"));
    }
}
