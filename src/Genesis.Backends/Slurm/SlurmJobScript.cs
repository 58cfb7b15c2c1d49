using System.Globalization;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Writes the bash scripts a Slurm job runs. A task's folder holds, besides its script <c>task.sh</c>:
/// <list type="bullet">
/// <item><c>started</c>: the time the script started (bash's <c>$EPOCHREALTIME</c>);</item>
/// <item><c>stdout</c>, <c>stderr</c>: the program's output, and <c>stdin</c> when the request gives input;</item>
/// <item><c>start-error</c>: why the program could not start (its working folder is missing on the node, or the program is not found);</item>
/// <item><c>exit</c>: one line written by the script's own <c>EXIT</c> trap, <c>exit &lt;code&gt; &lt;time&gt;</c> or
/// <c>signal &lt;TERM|INT|HUP&gt; &lt;time&gt;</c> when Slurm stopped the script, so the exit code is known without
/// Slurm's accounting;</item>
/// <item><c>slurm.out</c>: what Slurm and bash themselves printed for the job (its <c>--output</c>).</item>
/// </list>
/// </summary>
internal static class SlurmJobScript
{
    public const string TaskScript = "task.sh";
    public const string ArrayScript = "array.sh";
    public const string StartedFile = "started";
    public const string ExitFile = "exit";
    public const string StartErrorFile = "start-error";
    public const string OutputFile = "stdout";
    public const string ErrorFile = "stderr";
    public const string InputFile = "stdin";
    public const string SlurmLogFile = "slurm.out";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <c>task.sh</c> (and <c>stdin</c>) into <paramref name="folder"/>, which must exist; returns the script's path.</summary>
    /// <param name="folder">The task's folder.</param>
    /// <param name="request">The request to run, already rewritten by the sandbox.</param>
    /// <param name="attempt">Which attempt this is, for the script's comment.</param>
    public static string WriteTask(string folder, ProcessRequest request, int attempt)
    {
        var workingDirectory = Path.GetFullPath(request.WorkingDirectory);
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append(CultureInfo.InvariantCulture, $"# Genesis Slurm task (attempt {attempt}): runs one process and records how it ended. Written by SlurmBackend.\n");
        script.Append(CultureInfo.InvariantCulture, $"__genesis_dir={Quote(folder)}\n");
        script.Append("__genesis_signal=\n");
        script.Append("__genesis_finish() {\n");
        script.Append("    local line\n");
        script.Append("    if [ -n \"$__genesis_signal\" ]; then line=\"signal $__genesis_signal\"; else line=\"exit $1\"; fi\n");
        script.Append("    printf '%s %s\\n' \"$line\" \"$EPOCHREALTIME\" > \"$__genesis_dir/exit\"\n");
        script.Append("}\n");
        script.Append("trap '__genesis_signal=TERM; exit 143' TERM\n");
        script.Append("trap '__genesis_signal=INT; exit 130' INT\n");
        script.Append("trap '__genesis_signal=HUP; exit 129' HUP\n");
        script.Append("trap '__genesis_finish \"$?\"' EXIT\n");
        script.Append("printf '%s\\n' \"$EPOCHREALTIME\" > \"$__genesis_dir/started\"\n");
        script.Append(CultureInfo.InvariantCulture, $"if ! cd -- {Quote(workingDirectory)} 2>/dev/null; then\n");
        script.Append(CultureInfo.InvariantCulture, $"    printf 'the working folder %s is not visible on node %s\\n' {Quote(workingDirectory)} \"${{SLURMD_NODENAME:-$HOSTNAME}}\" > \"$__genesis_dir/start-error\"\n");
        script.Append("    exit 127\n");
        script.Append("fi\n");
        script.Append("(\n");

        var envAssignments = new List<string>();
        var envRemovals = new List<string>();
        foreach (var (name, value) in request.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (IsShellName(name))
            {
                script.Append(value is null
                    ? $"    unset {name}\n"
                    : $"    export {name}={Quote(value)}\n");
            }
            else if (value is null)
            {
                envRemovals.Add(name);
            }
            else
            {
                envAssignments.Add($"{name}={value}");
            }
        }

        var program = Quote(request.FileName);
        script.Append(CultureInfo.InvariantCulture, $"    if ! command -v -- {program} >/dev/null 2>&1; then\n");
        var missing = request.FileName.Contains('/', StringComparison.Ordinal)
            ? "was not found or is not executable"
            : "was not found on PATH";
        script.Append(CultureInfo.InvariantCulture, $"        printf 'program %s {missing} on node %s\\n' {Quote($"'{request.FileName}'")} \"${{SLURMD_NODENAME:-$HOSTNAME}}\" > \"$__genesis_dir/start-error\"\n");
        script.Append("        exit 127\n");
        script.Append("    fi\n");
        script.Append("    exec");
        if (envAssignments.Count > 0 || envRemovals.Count > 0)
        {
            // Names a shell cannot export (with dots, dashes...) go through env(1), which sets any name.
            script.Append(" env");
            foreach (var name in envRemovals)
            {
                script.Append(" -u ").Append(Quote(name));
            }

            script.Append(" --");
            foreach (var assignment in envAssignments)
            {
                script.Append(' ').Append(Quote(assignment));
            }
        }

        script.Append(' ').Append(program);
        foreach (var argument in request.Arguments)
        {
            script.Append(' ').Append(Quote(argument));
        }

        script.Append('\n');
        var input = "/dev/null";
        if (request.StandardInput is not null)
        {
            File.WriteAllText(Path.Combine(folder, InputFile), request.StandardInput, Utf8);
            input = "\"$__genesis_dir/stdin\"";
        }

        script.Append(CultureInfo.InvariantCulture, $") < {input} > \"$__genesis_dir/stdout\" 2> \"$__genesis_dir/stderr\"\n");

        var path = Path.Combine(folder, TaskScript);
        File.WriteAllText(path, script.ToString(), Utf8);
        return path;
    }

    /// <summary>Writes the launcher of a job array into <paramref name="batchFolder"/>: task <c>i</c> runs <c>i/task.sh</c>.</summary>
    public static string WriteArray(string batchFolder, int count)
    {
        var path = Path.Combine(batchFolder, ArrayScript);
        File.WriteAllText(
            path,
            $"#!/bin/bash\n# Genesis Slurm job array of {count} tasks: task i runs the script in folder i. Written by SlurmBackend.\n"
                + $"exec /bin/bash {Quote(batchFolder)}/\"$SLURM_ARRAY_TASK_ID\"/{TaskScript}\n",
            Utf8);
        return path;
    }

    /// <summary>Quotes <paramref name="text"/> for bash: single quotes, with each embedded quote written as <c>'\''</c>.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Escapes a path for sbatch's <c>--output</c>, where <c>%</c> starts a replacement symbol.</summary>
    public static string EscapeOutputPattern(string path) => path.Replace("%", "%%", StringComparison.Ordinal);

    private static bool IsShellName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
