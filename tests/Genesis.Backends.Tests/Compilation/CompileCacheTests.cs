using Genesis.Execution.Tests.Languages;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Compilation;

public sealed class CompileCacheTests : IDisposable
{
    private const string Hello = "fn main() {\n    println!(\"hello\");\n}\n";
    private const string Broken = "fn main() {\n    let x: i32 = \"not a number\";\n}\n";

    private readonly TempFolder _folder = new();
    private readonly string _cache;

    public CompileCacheTests()
    {
        _cache = _folder.Folder("cache");
    }

    public void Dispose() => _folder.Dispose();

    private RustToolchain Rust(IReadOnlyList<string>? flags = null, string? rustc = null, IReadOnlyDictionary<string, string?>? environment = null, bool useCache = true) =>
        Toolchains.Rust(new RustToolchainOptions
        {
            Rustc = rustc ?? "rustc",
            Flags = flags ?? new RustToolchainOptions().Flags,
            Environment = environment ?? new Dictionary<string, string?>(),
            CacheDirectory = _cache,
            UseCompileCache = useCache,
        });

    [Fact]
    public async Task The_second_build_of_the_same_source_is_a_hit_without_a_compiler_process()
    {
        var backend = new CountingBackend();
        var toolchain = Rust();

        var first = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend));
        var second = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(1, backend.Count);
        Assert.NotEqual(first.ArtifactPath, second.ArtifactPath);
        Assert.Equal("hello", (await LanguageKit.RunAsync(second)).StandardOutput.Trim());
        Assert.Single(LanguageKit.Entries(_cache));
    }

    [Fact]
    public async Task A_hit_links_the_read_only_cached_executable_into_the_candidates_folder()
    {
        var toolchain = Rust();
        await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, Backends.Local(1)));
        var hit = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, Backends.Local(1)));
        var cached = Path.Combine(Assert.Single(LanguageKit.Entries(_cache)), "files", "main");

        var inodes = await Backends.Local(1).RunAsync(new ProcessRequest { FileName = "stat", Arguments = ["-c", "%i", cached, hit.ArtifactPath!], WorkingDirectory = _folder.Path });

        var lines = inodes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines[0], lines[1]);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(cached));
    }

    [Fact]
    public async Task A_hit_survives_the_toolchain_that_made_it_as_in_a_later_run()
    {
        await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, Backends.Local(1)));
        var backend = new CountingBackend();

        var later = await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.True(later.CacheHit);
        Assert.Equal(0, backend.Count);
        Assert.Equal("hello", (await LanguageKit.RunAsync(later)).StandardOutput.Trim());
    }

    [Fact]
    public async Task Different_flags_source_or_environment_are_misses()
    {
        var backend = new CountingBackend();

        await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, backend));
        var otherFlags = await Rust(flags: ["-C", "opt-level=1"]).BuildAsync(LanguageKit.Build(_folder, Hello, backend));
        var otherSource = await Rust().BuildAsync(LanguageKit.Build(_folder, Hello.Replace("hello", "hi", StringComparison.Ordinal), backend));
        var otherEnvironment = await Rust(environment: new Dictionary<string, string?> { ["RUSTFLAGS"] = "-C debuginfo=0" }).BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.False(otherFlags.CacheHit);
        Assert.False(otherSource.CacheHit);
        Assert.False(otherEnvironment.CacheHit);
        Assert.Equal(4, backend.Count);
        Assert.Equal(4, LanguageKit.Entries(_cache).Count);
    }

    [Fact]
    public async Task Without_the_cache_every_build_compiles()
    {
        var backend = new CountingBackend();
        var toolchain = Rust(useCache: false);

        await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend));
        var second = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.False(second.CacheHit);
        Assert.Equal(2, backend.Count);
        Assert.Empty(LanguageKit.Entries(_cache));
    }

    [Fact]
    public async Task A_failed_compile_is_cached_with_its_compiler_output()
    {
        var backend = new CountingBackend();
        var toolchain = Rust();

        var first = await toolchain.BuildAsync(LanguageKit.Build(_folder, Broken, backend));
        var second = await Rust().BuildAsync(LanguageKit.Build(_folder, Broken, backend));

        Assert.False(second.Succeeded);
        Assert.True(second.CacheHit);
        Assert.Equal(first.CompilerOutput, second.CompilerOutput);
        Assert.Contains("error[E0308]", second.CompilerOutput, StringComparison.Ordinal);
        Assert.Equal(1, backend.Count);
    }

    [Fact]
    public async Task Concurrent_builds_of_the_same_key_compile_once_and_store_one_entry()
    {
        var backend = new CountingBackend();
        var toolchains = new[] { Rust(), Rust() };
        var requests = Enumerable.Range(0, 8).Select(_ => LanguageKit.Build(_folder, Hello, backend)).ToList();

        var builds = await Task.WhenAll(requests.Select((request, i) => toolchains[i % 2].BuildAsync(request).AsTask()));

        Assert.Equal(1, backend.Count);
        Assert.Single(LanguageKit.Entries(_cache));
        Assert.Single(builds, build => !build.CacheHit);
        foreach (var build in builds)
        {
            Assert.Equal("hello", (await LanguageKit.RunAsync(build)).StandardOutput.Trim());
        }

        Assert.Empty(Directory.GetDirectories(Path.Combine(_cache, "v1", "tmp")));
    }

    [Fact]
    public async Task A_build_killed_half_way_leaves_no_entry_and_the_next_build_compiles()
    {
        var rustc = HangingRustc();
        var backend = Unconfined();
        var toolchain = Rust(rustc: rustc);
        using var source = new CancellationTokenSource();

        var killed = toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend), source.Token).AsTask();
        await Processes.WaitUntilAsync(() => File.Exists(_folder.File("tools/started")), "the compiler to start");
        await source.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => killed);

        Assert.Empty(LanguageKit.Entries(_cache));
        File.Delete(_folder.File("tools/hang"));
        var next = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.False(next.CacheHit);
        Assert.Equal(2, backend.Count);
        Assert.Equal("hello", (await LanguageKit.RunAsync(next)).StandardOutput.Trim());
        Assert.Single(LanguageKit.Entries(_cache));
    }

    [Fact]
    public async Task A_compiler_that_times_out_is_not_cached()
    {
        var rustc = HangingRustc();
        var backend = Unconfined();
        var toolchain = Rust(rustc: rustc);

        var timedOut = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend, timeout: TimeSpan.FromSeconds(2)));
        File.Delete(_folder.File("tools/hang"));
        var next = await toolchain.BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.False(timedOut.Succeeded);
        Assert.StartsWith("The compiler was killed after 2 s (the build's time limit).", timedOut.CompilerOutput, StringComparison.Ordinal);
        Assert.True(next.Succeeded, next.CompilerOutput);
        Assert.False(next.CacheHit);
        Assert.Equal(2, backend.Count);
    }

    [Fact]
    public async Task An_entry_missing_its_artifact_is_discarded_and_rebuilt()
    {
        var backend = new CountingBackend();
        await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, backend));
        var entry = Assert.Single(LanguageKit.Entries(_cache));
        File.Delete(Path.Combine(entry, "files", "main"));

        var rebuilt = await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.False(rebuilt.CacheHit);
        Assert.Equal(2, backend.Count);
        Assert.Equal("hello", (await LanguageKit.RunAsync(rebuilt)).StandardOutput.Trim());
        Assert.True(File.Exists(Path.Combine(Assert.Single(LanguageKit.Entries(_cache)), "files", "main")));
    }

    [Fact]
    public async Task A_corrupt_manifest_is_discarded_and_rebuilt()
    {
        var backend = new CountingBackend();
        await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, backend));
        File.WriteAllText(Path.Combine(Assert.Single(LanguageKit.Entries(_cache)), "entry.json"), "{\"format\": 1, \"succeeded\": tr");

        var rebuilt = await Rust().BuildAsync(LanguageKit.Build(_folder, Hello, backend));

        Assert.True(rebuilt.Succeeded);
        Assert.False(rebuilt.CacheHit);
        Assert.Equal(2, backend.Count);
    }

    [Fact]
    public async Task A_staging_folder_left_by_a_dead_process_is_never_read_and_is_swept()
    {
        var cache = new CompileCache(_folder.Folder("swept"));
        var key = CompileCacheKey.Compute(["test", "stale"]);
        var stale = Path.Combine(cache.StagingDirectory, $"{key}.{int.MaxValue - 1}.0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(stale, "files"));
        File.WriteAllText(Path.Combine(stale, "entry.json"), "{\"format\": 1, \"succeeded\": true, \"compilerOutput\": \"\", \"files\": []}");
        var target = _folder.Folder("target");
        var builds = 0;

        var (build, hit) = await cache.GetOrBuildAsync(key, target, _ =>
        {
            builds++;
            File.WriteAllText(Path.Combine(target, "out"), "built");
            return ValueTask.FromResult(new CompiledBuild(true, "ok", ["out"]));
        });

        Assert.False(hit);
        Assert.Equal(1, builds);
        Assert.Equal("ok", build.CompilerOutput);
        Assert.False(Directory.Exists(stale));
        Assert.Empty(Directory.GetDirectories(cache.StagingDirectory));
        Assert.Equal("built", File.ReadAllText(Path.Combine(cache.EntryDirectory(key), "files", "out")));
    }

    [Fact]
    public void Publishing_a_key_twice_keeps_the_first_entry()
    {
        var cache = new CompileCache(_folder.Folder("twice"));
        var key = CompileCacheKey.Compute(["test", "twice"]);
        var first = _folder.Folder("first");
        var second = _folder.Folder("second");
        File.WriteAllText(Path.Combine(first, "out"), "first");
        File.WriteAllText(Path.Combine(second, "out"), "second");

        Assert.True(cache.Publish(key, new CompiledBuild(true, "1", ["out"]), first));
        Assert.True(cache.Publish(key, new CompiledBuild(true, "2", ["out"]), second));

        var restored = _folder.Folder("restored");
        Assert.Equal("1", cache.TryRestore(key, restored)!.CompilerOutput);
        Assert.Equal("first", File.ReadAllText(Path.Combine(restored, "out")));
        Assert.Empty(Directory.GetDirectories(cache.StagingDirectory));
    }

    [Fact]
    public void A_failed_build_is_restored_without_files()
    {
        var cache = new CompileCache(_folder.Folder("failed"));
        var key = CompileCacheKey.Compute(["test", "failed"]);
        cache.Publish(key, new CompiledBuild(false, "error: nope", []), _folder.Folder("from"));

        var restored = cache.TryRestore(key, _folder.Folder("to"));

        Assert.NotNull(restored);
        Assert.False(restored.Succeeded);
        Assert.Equal("error: nope", restored.CompilerOutput);
        Assert.Empty(restored.Files);
    }

    [Fact]
    public void Keys_depend_on_every_part_and_on_where_parts_end()
    {
        var key = CompileCacheKey.Compute(["rustc", "1.95", "-O", "fn main() {}"]);

        Assert.Equal(key, CompileCacheKey.Compute(["rustc", "1.95", "-O", "fn main() {}"]));
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.NotEqual(key, CompileCacheKey.Compute(["rustc", "1.95", "-O2", "fn main() {}"]));
        Assert.NotEqual(CompileCacheKey.Compute(["ab", "c"]), CompileCacheKey.Compute(["a", "bc"]));
        Assert.NotEqual(CompileCacheKey.Compute(["a"]), CompileCacheKey.Compute(["a", string.Empty]));
    }

    /// <summary>Runs the test-double compilers below unconfined: they look at flag files outside the candidate's folder.</summary>
    private static CountingBackend Unconfined() => new(new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = 2, Sandbox = Sandboxes.None }));

    /// <summary>A rustc that answers the probe, and hangs (after writing half an executable) while tools/hang exists.</summary>
    private string HangingRustc()
    {
        var tools = _folder.Folder("tools");
        File.WriteAllText(Path.Combine(tools, "hang"), string.Empty);
        return LanguageKit.WriteScript(_folder, "tools/rustc", $"""
            if [ "$1" = "-vV" ]; then printf 'rustc 0.0.0-genesis-test\nhost: x86_64-unknown-linux-gnu\n'; exit 0; fi
            if [ -f '{tools}/hang' ]; then printf 'half an executable' > main; : > '{tools}/started'; exec sleep 600; fi
            exec '{LanguageKit.Rustc()}' "$@"
            """);
    }
}
