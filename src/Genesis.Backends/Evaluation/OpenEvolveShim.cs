namespace Genesis.Execution;

/// <summary>The Python shim that runs an OpenEvolve evaluator and writes ShinkaEvolve's result files.</summary>
internal static class OpenEvolveShim
{
    /// <summary>The shim's source text.</summary>
    public const string Source = """
        # Written by Genesis for .NET: runs an OpenEvolve evaluator, evaluate(program_path) -> dict (or an object with
        # .metrics and .artifacts dicts), and writes ShinkaEvolve's metrics.json and correct.json.
        import argparse
        import importlib.util
        import json
        import numbers
        import os
        import sys
        import traceback

        MAX_TRACEBACK_CHARS = 4000


        def load_evaluator(path):
            folder = os.path.dirname(os.path.abspath(path))
            if folder not in sys.path:
                sys.path.insert(0, folder)
            name = os.path.splitext(os.path.basename(path))[0]
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ImportError("cannot load an evaluator from " + path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            if not callable(getattr(module, "evaluate", None)):
                raise AttributeError(path + " defines no evaluate(program_path) function")
            return module


        def is_number(value):
            return isinstance(value, numbers.Real) and not isinstance(value, bool)


        def as_text(value):
            if isinstance(value, bytes):
                return value.decode("utf-8", errors="replace")
            if isinstance(value, str):
                return value
            try:
                return json.dumps(value, default=str)
            except (TypeError, ValueError):
                return str(value)


        def split_result(result):
            if isinstance(result, dict):
                return result, {}
            metrics = getattr(result, "metrics", None)
            if isinstance(metrics, dict):
                artifacts = getattr(result, "artifacts", None)
                return metrics, artifacts if isinstance(artifacts, dict) else {}
            raise TypeError("evaluate() returned %s, expected a dict of metrics or an object with a .metrics dict"
                            % type(result).__name__)


        def summarize(metrics, artifacts):
            public = {}
            for key, value in metrics.items():
                if isinstance(value, bool):
                    public[str(key)] = value
                elif is_number(value):
                    public[str(key)] = float(value)
            if "combined_score" in metrics:
                raw = metrics["combined_score"]
                score = float(raw) if is_number(raw) else raw
            else:
                values = [float(v) for v in metrics.values() if is_number(v)]
                score = sum(values) / len(values) if values else 0.0
            feedback = ["%s: %s" % (key, as_text(value)) for key, value in artifacts.items()]
            error = None
            if "error" in metrics:
                raw = metrics["error"]
                error = raw if isinstance(raw, str) else "the evaluator reported error = %s" % as_text(raw)
                feedback.append("error: " + error)
            for key in ("validity", "valid"):
                value = metrics.get(key)
                if (isinstance(value, bool) or is_number(value)) and value == 0 and error is None:
                    error = "%s is 0" % key
            return score, public, feedback, error


        def write_json(path, value):
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(value, handle, default=str)


        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--evaluator", required=True)
            parser.add_argument("--program_path", required=True)
            parser.add_argument("--results_dir", required=True)
            args = parser.parse_args()
            os.makedirs(args.results_dir, exist_ok=True)
            try:
                module = load_evaluator(args.evaluator)
                metrics, artifacts = split_result(module.evaluate(args.program_path))
                score, public, feedback, error = summarize(metrics, artifacts)
            except (Exception, SystemExit) as exc:  # the candidate's failure is data, not a crash of the shim
                error = "%s: %s" % (type(exc).__name__, exc)
                details = traceback.format_exc()
                sys.stderr.write(details)
                score, public = 0.0, {}
                feedback = ["evaluate() raised " + error, details[-MAX_TRACEBACK_CHARS:]]
            write_json(os.path.join(args.results_dir, "metrics.json"), {
                "combined_score": score,
                "public": public,
                "private": {},
                "text_feedback": "\n".join(feedback),
            })
            write_json(os.path.join(args.results_dir, "correct.json"), {"correct": error is None, "error": error})
            sys.stdout.flush()
            sys.stderr.flush()
            # Leave at once, even if the evaluator left non-daemon threads or pools behind.
            os._exit(0)


        if __name__ == "__main__":
            main()

        """;
}
