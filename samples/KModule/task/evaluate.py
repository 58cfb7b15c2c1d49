"""Evaluator for the K-module problem, on ShinkaEvolve's file contract.

    python3 evaluate.py --program_path PROGRAM.py --results_dir DIR [--timeout_s 20]

Imports PROGRAM.py, calls its `configure()` (under a wall-clock alarm), which must return the four chosen
option names (loader, preprocess, algorithm, formatter), and writes:

    DIR/metrics.json  {"combined_score": correct modules / 4, "public": {...}, "private": {}, "text_feedback"}
    DIR/correct.json  {"correct": bool, "error": str | null}

The feedback says how many modules are right, never which. A well-formed configuration is "correct" in
ShinkaEvolve's sense (it runs; the score tells its quality); a malformed one (an index out of range, a
wrong type, an unknown option, a program that raises) scores 0 with correct = false and the reason.
The exit code is 0 whenever the evaluation itself ran; non-zero only when this script's own arguments
are wrong. Pure Python 3 standard library.
"""

import argparse
import importlib.util
import json
import os
import signal
import sys
import tempfile
import traceback

# Never write bytecode next to a candidate: an engine that rewrites a candidate file within the same
# second and at the same size could otherwise be handed the previous candidate's cached bytecode.
sys.dont_write_bytecode = True

# The candidate runs in this process: capture what the checks rely on before importing it.
_isinstance = isinstance
_len = len
_list = list
_tuple = tuple
_str = str
_type = type
_repr = repr
_getattr = getattr
_callable = callable
_range = range
_sum = sum
_zip = zip
_json_dump = json.dump
_replace = os.replace
_signal_alarm = getattr(signal, "alarm", None)
_signal_signal = signal.signal

MODULES = ("loader", "preprocess", "algorithm", "formatter")
OPTIONS = {
    "loader": ("json_reader", "xml_reader", "csv_reader", "parquet_reader", "yaml_reader"),
    "preprocess": ("standardize", "minmax_scale", "log_transform", "normalize", "passthrough"),
    "algorithm": ("mergesort", "quicksort", "heapsort", "insertion_sort", "bubblesort"),
    "formatter": ("xml", "yaml", "csv", "plain_text", "json"),
}
_TARGET = ("csv_reader", "normalize", "quicksort", "json")
DEFAULT_TIMEOUT_S = 20
TRACEBACK_LINES = 12


class EvaluationTimeout(BaseException):
    """Raised by the alarm; a BaseException so that a candidate's `except Exception` cannot swallow it."""


class InvalidConfiguration(Exception):
    """configure() returned something that is not four known option names."""


def _parse_args(argv):
    parser = argparse.ArgumentParser(description="Evaluate a K-module configuration program.")
    parser.add_argument("--program_path", required=True, help="the candidate program (.py)")
    parser.add_argument("--results_dir", required=True, help="where metrics.json and correct.json go")
    parser.add_argument("--timeout_s", type=int, default=DEFAULT_TIMEOUT_S,
                        help="wall-clock limit for importing the program and calling configure()")
    args = parser.parse_args(argv)
    if args.timeout_s <= 0:
        parser.error("--timeout_s must be a positive number of seconds")
    if not os.path.isfile(args.program_path):
        parser.error(f"--program_path {args.program_path!r} is not a file")
    try:
        os.makedirs(args.results_dir, exist_ok=True)
    except OSError as exc:
        parser.error(f"--results_dir {args.results_dir!r} cannot be created: {exc}")
    return args


def _write_json(path, payload):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        _json_dump(payload, handle, indent=2, allow_nan=False)
        handle.write("\n")
    _replace(tmp, path)


def _write_results(results_dir, score, public, feedback, correct, error):
    metrics = {"combined_score": score, "public": public, "private": {}, "text_feedback": feedback}
    _write_json(os.path.join(results_dir, "metrics.json"), metrics)
    _write_json(os.path.join(results_dir, "correct.json"), {"correct": correct, "error": error})


def _on_alarm(signum, frame):
    raise EvaluationTimeout()


def _extract(result):
    """configure()'s result as a tuple of four option names, or raise InvalidConfiguration."""
    if not _isinstance(result, (_list, _tuple)):
        raise InvalidConfiguration(
            f"configure() must return a list of {_len(MODULES)} option names, got {_type(result).__name__}")
    names = _tuple(result)
    if _len(names) != _len(MODULES):
        raise InvalidConfiguration(
            f"configure() must return {_len(MODULES)} option names ({', '.join(MODULES)}), got {_len(names)}")
    for module, name in _zip(MODULES, names):
        if _type(name) is not _str:
            raise InvalidConfiguration(
                f"the {module} option must be a str, got {_repr(name)[:60]} ({_type(name).__name__})")
        if name not in OPTIONS[module]:
            raise InvalidConfiguration(
                f"{name!r} is not an option of module {module}; its options are {', '.join(OPTIONS[module])}")
    return names


def _run_program(program_path, timeout_s):
    spec = importlib.util.spec_from_file_location("genesis_candidate_program", program_path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {program_path!r} as a Python module")
    module = importlib.util.module_from_spec(spec)
    previous = None
    if _signal_alarm is not None:
        previous = _signal_signal(signal.SIGALRM, _on_alarm)
        _signal_alarm(timeout_s)
    try:
        spec.loader.exec_module(module)
        entry = _getattr(module, "configure", None)
        if not _callable(entry):
            raise AttributeError("the program defines no callable configure()")
        return _extract(entry())
    finally:
        if _signal_alarm is not None:
            _signal_alarm(0)
            _signal_signal(signal.SIGALRM, previous)


def _program_traceback(exc):
    """The exception's traceback without this evaluator's own frames, cut to its last lines."""
    here = os.path.abspath(__file__)
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if os.path.abspath(frame.filename) != here]
    body = "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(_type(exc), exc))
    lines = body.rstrip().splitlines()
    if _len(lines) > TRACEBACK_LINES:
        lines = ["  ..."] + lines[-TRACEBACK_LINES:]
    return "\n".join(["Traceback (most recent call last):"] + lines)


def _safe_str(value):
    try:
        return _str(value)
    except BaseException:
        return "<str() failed>"


def evaluate(program_path, results_dir, timeout_s=DEFAULT_TIMEOUT_S):
    """Evaluate one program and write the result files; returns (score, correct)."""
    def fail(reason, detail=None):
        feedback = f"Invalid configuration: {reason}" if detail is None else f"Invalid configuration: {reason}\n{detail}"
        public = {"correct_modules": 0, "num_modules": _len(MODULES)}
        _write_results(results_dir, 0.0, public, feedback, False, reason)
        return 0.0, False

    try:
        names = _run_program(program_path, timeout_s)
    except EvaluationTimeout:
        return fail(f"the program did not return within {timeout_s} s (time limit)")
    except InvalidConfiguration as exc:
        return fail(_safe_str(exc))
    except BaseException as exc:  # the program raised (or called sys.exit): report it, do not crash
        return fail(f"the program raised {_type(exc).__name__}: {_safe_str(exc)[:300]}", _program_traceback(exc))

    right = _sum(1 for i in _range(_len(MODULES)) if names[i] == _TARGET[i])
    score = right / _len(MODULES)
    if right == _len(MODULES):
        verdict = "All modules are correct: this is the target configuration."
    else:
        verdict = (f"{right} of {_len(MODULES)} modules are correct (which ones is not revealed); "
                   f"change some choices and compare scores.")
    feedback = f"Configuration {' / '.join(names)}: {verdict}"
    _write_results(results_dir, score, {"correct_modules": right, "num_modules": _len(MODULES)},
                   feedback, True, None)
    return score, True


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    score, correct = evaluate(args.program_path, args.results_dir, args.timeout_s)
    sys.stdout.write(f"combined_score={score:.6f} correct={_str(correct).lower()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
