"""Evaluator for circle packing (n = 26 in the unit square), on ShinkaEvolve's file contract.

    python3 evaluate.py --program_path PROGRAM.py --results_dir DIR [--timeout_s 20]

Imports PROGRAM.py, calls its `run_packing()` (under a wall-clock alarm), validates the packing
strictly and writes:

    DIR/metrics.json  {"combined_score", "public": {...}, "private": {...}, "text_feedback"}
    DIR/correct.json  {"correct": bool, "error": str | null}

An invalid packing or a failing program scores 0 with correct = false, and the feedback says why.
The exit code is 0 whenever the evaluation itself ran (whatever the program did); it is non-zero
only when this script's own arguments are wrong. Pure Python 3 standard library.
"""

import argparse
import importlib.util
import json
import math
import numbers
import os
import signal
import sys
import tempfile
import traceback

# Never write bytecode next to a candidate: an engine that rewrites a candidate file within the same
# second and at the same size could otherwise be handed the previous candidate's cached bytecode.
sys.dont_write_bytecode = True

# The candidate runs in this process and could rebind module attributes or builtins, so everything the
# validation relies on is captured here, before the candidate is imported.
_isfinite = math.isfinite
_hypot = math.hypot
_fsum = math.fsum
_isinstance = isinstance
_len = len
_float = float
_range = range
_list = list
_tuple = tuple
_Real = numbers.Real
_bool = bool
_str = str
_bytes = bytes
_repr = repr
_min = min
_sorted = sorted
_json_dump = json.dump
_replace = os.replace
_zip = zip
_sum = sum
_type = type
_hasattr = hasattr
_getattr = getattr
_callable = callable
_signal_alarm = getattr(signal, "alarm", None)
_signal_signal = signal.signal

N_CIRCLES = 26
TOLERANCE = 1e-9
KNOWN_BEST = 2.635983          # ShinkaEvolve (arXiv:2509.19349); AlphaEvolve 2.63586; prior human 2.634
SUSPICIOUS_SCORE = 2.7          # above every known packing by a wide margin: treat as an exploit
DEFAULT_TIMEOUT_S = 20
MAX_LISTED_PROBLEMS = 10
TRACEBACK_LINES = 12


class EvaluationTimeout(BaseException):
    """Raised by the alarm; a BaseException so that a candidate's `except Exception` cannot swallow it."""


class InvalidPacking(Exception):
    """The program's output has the wrong shape or type; `count` is how many circles it returned, if known."""

    def __init__(self, message, count=0):
        super().__init__(message)
        self.count = count


def _parse_args(argv):
    parser = argparse.ArgumentParser(description="Evaluate a circle-packing program (n = 26).")
    parser.add_argument("--program_path", required=True, help="the candidate program (.py)")
    parser.add_argument("--results_dir", required=True, help="where metrics.json and correct.json go")
    parser.add_argument("--timeout_s", type=int, default=DEFAULT_TIMEOUT_S,
                        help="wall-clock limit for importing the program and calling run_packing()")
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
    metrics = {
        "combined_score": score,
        "public": public,
        "private": {},
        "text_feedback": feedback,
    }
    _write_json(os.path.join(results_dir, "metrics.json"), metrics)
    _write_json(os.path.join(results_dir, "correct.json"), {"correct": correct, "error": error})


def _on_alarm(signum, frame):
    raise EvaluationTimeout()


def _run_program(program_path, timeout_s):
    """Import the program, call run_packing() and convert its result, all under the time limit.

    Returns (centers, radii) as plain floats; raises InvalidPacking for a malformed result, and
    whatever the program raises otherwise (EvaluationTimeout when the limit is hit).
    """
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
        entry = _getattr(module, "run_packing", None)
        if not _callable(entry):
            raise AttributeError("the program defines no callable run_packing()")
        # The result may hold objects with custom __float__ or __iter__: convert under the limit too.
        return _extract(entry())
    finally:
        if _signal_alarm is not None:
            _signal_alarm(0)
            _signal_signal(signal.SIGALRM, previous)


def _as_sequence(value, what):
    """A list or tuple (or an array-like with tolist(), such as a numpy array) as a plain list."""
    if not _isinstance(value, (_list, _tuple)) and _hasattr(value, "tolist"):
        value = value.tolist()
    if not _isinstance(value, (_list, _tuple)):
        raise InvalidPacking(f"{what} must be a list or tuple, got {_type(value).__name__}")
    return _list(value)


def _as_real(value, what, problems):
    """Convert one value to float, or record why it is not a real finite number and return None."""
    if _isinstance(value, _bool) or not _isinstance(value, _Real):
        problems.append(f"{what} is {_repr(value)[:60]} ({_type(value).__name__}), not a real number")
        return None
    try:
        converted = _float(value)
    except Exception as exc:  # a hostile __float__
        problems.append(f"{what} cannot be converted to float: {exc}")
        return None
    if not _isfinite(converted):
        problems.append(f"{what} is {converted!r}, not a finite number")
        return None
    return converted


def _extract(result):
    """Turn run_packing()'s result into (centers, radii) of plain floats, or raise InvalidPacking."""
    if _isinstance(result, (_str, _bytes)):
        raise InvalidPacking("run_packing() must return (centers, radii), got a string")
    parts = _as_sequence(result, "the value returned by run_packing()")
    if _len(parts) != 2:
        raise InvalidPacking(f"run_packing() must return (centers, radii), got {_len(parts)} items")
    raw_centers = _as_sequence(parts[0], "centers")
    raw_radii = _as_sequence(parts[1], "radii")
    if _len(raw_centers) != N_CIRCLES or _len(raw_radii) != N_CIRCLES:
        raise InvalidPacking(
            f"expected exactly {N_CIRCLES} centers and {N_CIRCLES} radii, "
            f"got {_len(raw_centers)} centers and {_len(raw_radii)} radii", _len(raw_radii))
    problems = []
    centers = []
    for i in _range(N_CIRCLES):
        pair = _as_sequence(raw_centers[i], f"centers[{i}]")
        if _len(pair) != 2:
            raise InvalidPacking(f"centers[{i}] must be an (x, y) pair, got {_len(pair)} values", N_CIRCLES)
        x = _as_real(pair[0], f"centers[{i}][0] (x of circle {i})", problems)
        y = _as_real(pair[1], f"centers[{i}][1] (y of circle {i})", problems)
        centers.append((x, y))
    radii = [_as_real(raw_radii[i], f"radii[{i}]", problems) for i in _range(N_CIRCLES)]
    if problems:
        raise InvalidPacking(_summarise(problems), N_CIRCLES)
    return centers, radii


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


def _summarise(problems):
    shown = problems[:MAX_LISTED_PROBLEMS]
    text = "; ".join(shown)
    if _len(problems) > _len(shown):
        text += f"; and {_len(problems) - _len(shown)} more"
    return text


def _geometry_problems(centers, radii):
    """The violated constraints as human-readable sentences, grouped by kind, the worst first in each."""
    negative, outside, overlaps = [], [], []  # (violation amount, message)
    for i in _range(N_CIRCLES):
        (x, y), r = centers[i], radii[i]
        if r < 0.0:
            negative.append((-r, f"circle {i} has a negative radius {r:.12g}"))
            continue
        for name, coord in (("x", x), ("y", y)):
            if coord < r - TOLERANCE:
                outside.append((r - coord, f"circle {i} leaves the square: {name} - r = {coord - r:.12g} < 0 "
                                           f"({name} = {coord:.12g}, r = {r:.12g})"))
            elif coord > 1.0 - r + TOLERANCE:
                outside.append((coord + r - 1.0, f"circle {i} leaves the square: {name} + r = {coord + r:.12g} > 1 "
                                                 f"({name} = {coord:.12g}, r = {r:.12g})"))
    for i in _range(N_CIRCLES):
        for j in _range(i + 1, N_CIRCLES):
            distance = _hypot(centers[i][0] - centers[j][0], centers[i][1] - centers[j][1])
            reach = radii[i] + radii[j]
            if distance < reach - TOLERANCE:
                overlaps.append((reach - distance,
                                 f"circles {i} and {j} overlap by {reach - distance:.6g} "
                                 f"(distance {distance:.12g} < r{i} + r{j} = {reach:.12g})"))
    groups = []
    for label, found in ((("negative radius", "negative radii"), negative),
                         (("wall violation", "wall violations"), outside),
                         (("overlapping pair", "overlapping pairs"), overlaps)):
        if found:
            ordered = [message for _, message in _sorted(found, key=lambda item: -item[0])]
            groups.append((label, ordered))
    return groups


def _describe_geometry(groups):
    parts = []
    for label, messages in groups:
        shown = messages[:MAX_LISTED_PROBLEMS // 2]
        text = f"{_len(messages)} {label[0] if _len(messages) == 1 else label[1]}: " + "; ".join(shown)
        if _len(messages) > _len(shown):
            text += f"; and {_len(messages) - _len(shown)} more"
        parts.append(text)
    return "\n".join(parts)


def _valid_feedback(centers, radii, total):
    touching_walls = 0
    for (x, y), r in _zip(centers, radii):
        if _min(x - r, y - r, 1.0 - x - r, 1.0 - y - r) <= 1e-6:
            touching_walls += 1
    contacts = 0
    for i in _range(N_CIRCLES):
        for j in _range(i + 1, N_CIRCLES):
            gap = _hypot(centers[i][0] - centers[j][0], centers[i][1] - centers[j][1]) - radii[i] - radii[j]
            if gap <= 1e-6:
                contacts += 1
    smallest = _min(_range(N_CIRCLES), key=lambda k: radii[k])
    return (f"Valid packing of {N_CIRCLES} circles: sum of radii = {total:.6f} "
            f"({100.0 * total / KNOWN_BEST:.2f}% of the known best {KNOWN_BEST}, ShinkaEvolve; "
            f"gap {KNOWN_BEST - total:.6f}). Smallest circle: {smallest} with r = {radii[smallest]:.6f}; "
            f"{touching_walls} circles touch a wall and {contacts} pairs touch (within 1e-6). "
            f"Larger sums need circles that touch more neighbours: look for slack between circles and walls.")


def evaluate(program_path, results_dir, timeout_s=DEFAULT_TIMEOUT_S):
    """Evaluate one program and write the result files; returns (score, correct)."""
    public = {"sum_radii": 0.0, "num_circles": 0, "min_radius": 0.0}

    def fail(reason, detail=None):
        feedback = f"Invalid: {reason}" if detail is None else f"Invalid: {reason}\n{detail}"
        feedback += f"\nA valid packing scores its sum of radii (known best {KNOWN_BEST}, ShinkaEvolve)."
        _write_results(results_dir, 0.0, public, feedback, False, reason)
        return 0.0, False

    try:
        centers, radii = _run_program(program_path, timeout_s)
    except EvaluationTimeout:
        return fail(f"the program did not return within {timeout_s} s (time limit)")
    except InvalidPacking as exc:
        public["num_circles"] = exc.count
        return fail(_safe_str(exc))
    except BaseException as exc:  # the program raised (or called sys.exit): report it, do not crash
        return fail(f"the program raised {_type(exc).__name__}: {_safe_str(exc)[:300]}", _program_traceback(exc))

    total = _fsum(radii)
    public = {"sum_radii": total, "num_circles": N_CIRCLES, "min_radius": _min(radii)}
    groups = _geometry_problems(centers, radii)
    if groups:
        count = _sum(_len(messages) for _, messages in groups)
        return fail(f"{count} constraint violation(s), first: {groups[0][1][0]}", _describe_geometry(groups))
    if total > SUSPICIOUS_SCORE:
        return fail(f"score exceeds the known bound: sum of radii {total:.6f} > {SUSPICIOUS_SCORE} "
                    f"(known best {KNOWN_BEST}); the packing or the evaluation is being gamed")
    _write_results(results_dir, total, public, _valid_feedback(centers, radii, total), True, None)
    return total, True


def main(argv=None):
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    score, correct = evaluate(args.program_path, args.results_dir, args.timeout_s)
    sys.stdout.write(f"combined_score={score:.6f} correct={_str(correct).lower()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
