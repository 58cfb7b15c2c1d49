namespace Genesis.Execution;

/// <summary>Options of a <see cref="TypeScriptToolchain"/>.</summary>
public sealed class TypeScriptToolchainOptions : ToolchainOptions
{
    /// <summary>Node.js, which runs the compiled program (and <c>tsc</c>), a path or a name looked up on <c>PATH</c>. Default: <c>node</c>.</summary>
    public string Node { get; set; } = "node";

    /// <summary>
    /// The TypeScript compiler, a path or a name. Default: <see langword="null"/>, which looks for <c>tsc</c> on
    /// <c>PATH</c>, then in <c>$GENESIS_NODE_TOOLS/node_modules/.bin</c>, then in <c>tools/node/node_modules/.bin</c> and
    /// <c>node_modules/.bin</c> of the current folder, the application's folder and their parents (where
    /// <c>scripts/setup/typescript.sh</c> and <c>npm install typescript</c> put it). <c>tsc</c> runs on the build's backend:
    /// under a sandbox its npm package must be readable there, so not under <c>/tmp</c> or the home folder unless the
    /// sandbox's policy lists it among its read-only paths.
    /// </summary>
    public string? Tsc { get; set; }

    /// <summary>
    /// The compiler flags; part of the compile-cache key. <c>--noEmitOnError</c> and <c>--pretty false</c> are always
    /// added, and the output goes next to the source (<c>main.js</c>), so no <c>--outDir</c> here.
    /// Default: <c>--target es2022 --module commonjs --skipLibCheck</c>.
    /// </summary>
    public IReadOnlyList<string> Flags { get; set; } = ["--target", "es2022", "--module", "commonjs", "--skipLibCheck"];

    /// <summary>
    /// Whether Node's type declarations (<c>@types/node</c>, for <c>process</c>, <c>require</c>, <c>fs</c>) are used when
    /// they are installed beside the compiler (<c>node_modules/@types/node</c>). Default: <see langword="true"/>.
    /// </summary>
    public bool NodeTypes { get; set; } = true;

    internal TypeScriptToolchainOptions Clone() => CopyTo(new TypeScriptToolchainOptions { Node = Node, Tsc = Tsc, Flags = [.. Flags], NodeTypes = NodeTypes });

    private protected override void ValidateTools()
    {
        var type = GetType().Name;
        RequireProgram(Node, type, nameof(Node));
        if (Tsc is not null)
        {
            RequireProgram(Tsc, type, nameof(Tsc));
        }

        RequireArguments(Flags, type, nameof(Flags));
    }
}
