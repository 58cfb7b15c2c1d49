namespace Genesis.Scoring;

/// <summary>The Python script that runs an MBPP answer and its asserts and reports, on one marked line, how it went.</summary>
/// <remarks>
/// The script reads a one-time marker from standard input before it runs any of the answer's code, so the answer cannot
/// print a fake report. It executes the preamble, the answer (as a module named <c>__mbpp_solution__</c>, so an
/// <c>if __name__ == "__main__":</c> demo does not run), the setup code and each assert in one namespace, and stops at the
/// first failure. Exit codes: 0 passed, 1 an assert failed or raised, 2 the answer did not load, 3 the setup failed.
/// </remarks>
internal static class MbppHarness
{
    public const string ScriptName = "mbpp_harness.py";
    public const string SolutionName = "solution.py";
    public const string SpecName = "spec.json";

    public const string Script = """
        import json
        import sys
        import traceback

        marker = sys.stdin.readline().strip()

        def report(status, **fields):
            fields["status"] = status
            sys.stdout.flush()
            sys.stdout.write("\n" + marker + " " + json.dumps(fields) + "\n")
            sys.stdout.flush()

        def tail(limit=6):
            lines = traceback.format_exc().strip().splitlines()
            return "\n".join(lines[-limit:])

        with open("spec.json", encoding="utf-8") as handle:
            spec = json.load(handle)

        namespace = {"__name__": "__mbpp_solution__", "__builtins__": __builtins__}
        try:
            exec(compile(spec["preamble"], "preamble.py", "exec"), namespace)
        except BaseException:
            report("load_error", error="the preamble failed: " + tail())
            sys.exit(2)

        try:
            with open("solution.py", encoding="utf-8") as handle:
                source = handle.read()
            exec(compile(source, "solution.py", "exec"), namespace)
        except BaseException:
            report("load_error", error=tail())
            sys.exit(2)

        try:
            exec(compile(spec["setup"], "test_setup.py", "exec"), namespace)
        except BaseException:
            report("setup_error", error=tail())
            sys.exit(3)

        tests = spec["tests"]
        for index, test in enumerate(tests):
            try:
                exec(compile(test, "assert_%d.py" % (index + 1), "exec"), namespace)
            except AssertionError as failure:
                report("assert_failed", index=index, error=str(failure))
                sys.exit(1)
            except BaseException:
                report("assert_error", index=index, error=tail())
                sys.exit(1)

        report("passed", count=len(tests))
        sys.exit(0)
        """;
}
