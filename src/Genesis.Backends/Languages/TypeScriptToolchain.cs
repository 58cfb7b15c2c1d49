using System.Text.Json;

namespace Genesis.Execution;

/// <summary>
/// TypeScript: the candidate is written to <c>main.ts</c>, compiled by <c>tsc</c> (from npm) to <c>main.js</c> with
/// <c>--noEmitOnError</c>, through the compile cache, and runs as <c>node main.js</c>. Type errors are compile errors.
/// Probed with <c>node --version</c> and <c>tsc --version</c>. See <see cref="TypeScriptToolchainOptions.Tsc"/> for
/// where <c>tsc</c> is looked for; <c>bash scripts/setup/typescript.sh</c> installs it into <c>tools/node</c>.
/// </summary>
public sealed class TypeScriptToolchain : IToolchain, ILanguageBuild
{
    /// <summary>The variable naming a folder whose <c>node_modules/.bin</c> holds <c>tsc</c>.</summary>
    public const string ToolsFolderVariable = "GENESIS_NODE_TOOLS";

    private const string ArtifactFile = ToolchainCore.ProgramStem + ".js";

    private readonly TypeScriptToolchainOptions _options;
    private readonly ToolchainCore _core;
    private string _node = string.Empty;
    private IReadOnlyList<string> _tscCommand = [];
    private IReadOnlyList<string> _flags = [];

    /// <summary>Creates the toolchain; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is unusable; the message names it.</exception>
    public TypeScriptToolchain(TypeScriptToolchainOptions? options = null)
    {
        _options = (options ?? new TypeScriptToolchainOptions()).Clone();
        _options.Validate();
        _core = new ToolchainCore(this, _options);
    }

    /// <inheritdoc />
    public ProgramLanguage Language => ProgramLanguage.TypeScript;

    string ILanguageBuild.Recipe => "tsc";

    bool ILanguageBuild.Builds => true;

    string? ILanguageBuild.ArtifactName => ArtifactFile;

    /// <inheritdoc />
    public ValueTask<ToolchainInfo> ProbeAsync(CancellationToken cancellationToken = default) => _core.ProbeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default) => _core.BuildAsync(request, cancellationToken);

    /// <summary>The folders searched for <c>tsc</c> after <c>PATH</c>, in order.</summary>
    internal static IReadOnlyList<string> TscFolders()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable(ToolsFolderVariable) is { Length: > 0 } tools)
        {
            folders.Add(Path.Combine(tools, "node_modules", ".bin"));
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                folders.Add(Path.Combine(folder.FullName, "tools", "node", "node_modules", ".bin"));
                folders.Add(Path.Combine(folder.FullName, "node_modules", ".bin"));
            }
        }

        return folders.Distinct(StringComparer.Ordinal).ToList();
    }

    async ValueTask<ToolchainProbe> ILanguageBuild.ProbeAsync(ToolFinder finder, CancellationToken cancellationToken)
    {
        const string NodeProduct = "Node.js";
        const string TscProduct = "TypeScript (npm install typescript, or bash scripts/setup/typescript.sh in the Genesis repository)";
        var node = finder.Locate(_options.Node, NodeProduct);
        var nodeVersion = await finder.RunAsync(node, _options.Node, NodeProduct, ["--version"], cancellationToken).ConfigureAwait(false);

        var tsc = _options.Tsc is { } configured
            ? finder.Locate(configured, TscProduct)
            : finder.Locate("tsc", TscProduct, TscFolders(), "tools/node/node_modules/.bin or node_modules/.bin");
        var script = File.ResolveLinkTarget(tsc, returnFinalTarget: true)?.FullName ?? tsc;
        // npm's tsc is a Node script (#!/usr/bin/env node): run it with the probed node, which need not be on PATH.
        IReadOnlyList<string> command = IsNodeScript(script) ? [node, script] : [tsc];
        var tscVersion = await finder.RunAsync(command[0], "tsc", TscProduct, [.. command.Skip(1), "--version"], cancellationToken).ConfigureAwait(false);

        var flags = new List<string>(_options.Flags) { "--noEmitOnError", "--pretty", "false" };
        var typesVersion = string.Empty;
        if (_options.NodeTypes && NodeTypesFolder(script) is { } typeRoots)
        {
            flags.AddRange(["--types", "node", "--typeRoots", typeRoots]);
            typesVersion = PackageVersion(Path.Combine(typeRoots, "node", "package.json"));
        }

        _node = node;
        _tscCommand = command;
        _flags = flags;
        return new ToolchainProbe(
            new ToolchainInfo("tsc", ToolFinder.FirstLine(tscVersion), string.Join(' ', flags)),
            [nodeVersion, tscVersion, "@types/node " + typesVersion]);
    }

    async ValueTask<CompileRun> ILanguageBuild.CompileAsync(CompileContext context, CancellationToken cancellationToken)
    {
        var outcome = await context.Backend.RunAsync(
            new ProcessRequest
            {
                FileName = _tscCommand[0],
                Arguments = [.. _tscCommand.Skip(1), .. _flags, Path.GetFileName(context.SourcePath)],
                WorkingDirectory = context.WorkingDirectory,
                Environment = context.Environment,
                Timeout = context.Timeout,
                MaxOutputBytes = context.MaxOutputBytes,
            },
            cancellationToken).ConfigureAwait(false);

        // tsc writes its errors to standard output.
        var output = CompilerOutput.Combine(outcome.StandardOutput, outcome.StandardError);
        if (outcome.Succeeded && !File.Exists(Path.Combine(context.WorkingDirectory, ArtifactFile)))
        {
            return new CompileRun(false, CompilerOutput.Combine(output, $"tsc exited with code 0 but wrote no {ArtifactFile}."), outcome, SourceDependent: false);
        }

        return new CompileRun(outcome.Succeeded, output, outcome);
    }

    ProcessRequest ILanguageBuild.RunRequest(string workingDirectory, string sourcePath) =>
        new() { FileName = _node, Arguments = [Path.Combine(workingDirectory, ArtifactFile)], WorkingDirectory = workingDirectory };

    private static bool IsNodeScript(string path)
    {
        if (path.EndsWith(".js", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".cjs", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            using var reader = new StreamReader(path);
            var first = reader.ReadLine();
            return first is not null && first.StartsWith("#!", StringComparison.Ordinal) && first.Contains("node", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The <c>node_modules/@types</c> folder beside the <c>typescript</c> package of <paramref name="tscScript"/>, when it holds <c>node</c>.</summary>
    private static string? NodeTypesFolder(string tscScript)
    {
        for (var folder = Path.GetDirectoryName(tscScript); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (string.Equals(Path.GetFileName(folder), "node_modules", StringComparison.Ordinal))
            {
                var types = Path.Combine(folder, "@types");
                return File.Exists(Path.Combine(types, "node", "package.json")) ? types : null;
            }
        }

        return null;
    }

    private static string PackageVersion(string packageJson)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(packageJson));
            return document.RootElement.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                ? version.GetString()!
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
