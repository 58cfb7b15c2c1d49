"""Tests for the Python task folders under samples/: circle packing (n = 26) and the K-module problem.

Run with `python3 -m unittest discover -s tests/python` from the repository root. The evaluators are run
as subprocesses on ShinkaEvolve's contract (`--program_path`, `--results_dir`), and their metrics.json and
correct.json are checked. Pure standard library.
"""

import importlib.util
import itertools
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CIRCLE_DIR = os.path.join(REPO, "samples", "CirclePacking", "task")
KMODULE_DIR = os.path.join(REPO, "samples", "KModule", "task")
INITIAL_CIRCLE_SCORE = 2.133126
KNOWN_BEST = 2.635983


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class EvaluatorCase(unittest.TestCase):
    task_dir = None

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="genesis-task-test-")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def write_program(self, source, name="program.py"):
        path = os.path.join(self.work, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(source))
        return path

    def run_evaluator(self, program_path, *extra, expect_exit=0):
        results = os.path.join(self.work, "results")
        completed = subprocess.run(
            [sys.executable, os.path.join(self.task_dir, "evaluate.py"),
             "--program_path", program_path, "--results_dir", results, *extra],
            capture_output=True, text=True, timeout=120, cwd=self.work)
        self.assertEqual(expect_exit, completed.returncode,
                         f"exit code {completed.returncode}\nstdout:\n{completed.stdout}\nstderr:\n{completed.stderr}")
        if expect_exit != 0:
            return None, None, completed
        with open(os.path.join(results, "metrics.json"), encoding="utf-8") as handle:
            metrics = json.load(handle)
        with open(os.path.join(results, "correct.json"), encoding="utf-8") as handle:
            correct = json.load(handle)
        self.assertEqual({"combined_score", "public", "private", "text_feedback"}, set(metrics))
        self.assertEqual({"correct", "error"}, set(correct))
        self.assertIsInstance(correct["correct"], bool)
        self.assertIsInstance(metrics["text_feedback"], str)
        self.assertTrue(math.isfinite(metrics["combined_score"]))
        return metrics, correct, completed

    def assert_invalid(self, metrics, correct, *fragments):
        self.assertEqual(0.0, metrics["combined_score"])
        self.assertFalse(correct["correct"])
        self.assertIsInstance(correct["error"], str)
        for fragment in fragments:
            self.assertIn(fragment, metrics["text_feedback"])
        return metrics["text_feedback"]


GRID_PACKING = """
def run_packing():
    # 5 x 5 grid of radius-0.1 circles, plus one tiny circle in a gap: valid, sum = 2.5 + 0.01.
    centers = [(0.1 + 0.2 * i, 0.1 + 0.2 * j) for i in range(5) for j in range(5)]
    radii = [0.1] * 25
    centers.append((0.2, 0.2))
    radii.append(0.01)
    return centers, radii
"""


class CirclePackingEvaluatorTests(EvaluatorCase):
    task_dir = CIRCLE_DIR

    def packing_program(self, body):
        """A program whose run_packing() starts from the valid grid and then applies `body`."""
        return self.write_program(GRID_PACKING + "\n_valid = run_packing\n\ndef run_packing():\n"
                                  "    centers, radii = _valid()\n"
                                  + textwrap.indent(textwrap.dedent(body), "    ")
                                  + "\n    return centers, radii\n")

    def test_initial_program_is_valid_and_well_below_the_record(self):
        metrics, correct, _ = self.run_evaluator(os.path.join(CIRCLE_DIR, "initial.py"))
        self.assertTrue(correct["correct"])
        self.assertIsNone(correct["error"])
        self.assertAlmostEqual(INITIAL_CIRCLE_SCORE, metrics["combined_score"], places=5)
        self.assertEqual(metrics["combined_score"], metrics["public"]["sum_radii"])
        self.assertEqual(26, metrics["public"]["num_circles"])
        self.assertGreater(metrics["public"]["min_radius"], 0.0)
        self.assertEqual({}, metrics["private"])
        self.assertIn(str(KNOWN_BEST), metrics["text_feedback"])
        self.assertLess(metrics["combined_score"], 2.2)

    def test_initial_program_has_markers_and_is_deterministic(self):
        with open(os.path.join(CIRCLE_DIR, "initial.py"), encoding="utf-8") as handle:
            source = handle.read()
        self.assertEqual(1, source.count("# EVOLVE-BLOCK-START"))
        self.assertEqual(1, source.count("# EVOLVE-BLOCK-END"))
        self.assertNotIn("import random", source)
        first = load_module(os.path.join(CIRCLE_DIR, "initial.py"), "cp_initial_a").run_packing()
        second = load_module(os.path.join(CIRCLE_DIR, "initial.py"), "cp_initial_b").run_packing()
        self.assertEqual(first, second)

    def test_a_valid_hand_made_packing_scores_its_sum(self):
        metrics, correct, _ = self.run_evaluator(self.write_program(GRID_PACKING))
        self.assertTrue(correct["correct"])
        self.assertAlmostEqual(2.51, metrics["combined_score"], places=12)
        self.assertAlmostEqual(0.01, metrics["public"]["min_radius"], places=12)
        self.assertFalse(os.path.exists(os.path.join(self.work, "__pycache__")), "bytecode written next to the candidate")

    def test_nan_centre_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("centers[3] = (float('nan'), 0.5)"))
        feedback = self.assert_invalid(metrics, correct, "centers[3][0]", "not a finite number")
        self.assertIn("nan", feedback)

    def test_infinite_radius_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii[7] = float('inf')"))
        self.assert_invalid(metrics, correct, "radii[7]", "not a finite number")

    def test_bool_and_string_values_are_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii[0] = True\ncenters[1] = ('0.3', 0.1)"))
        self.assert_invalid(metrics, correct, "radii[0] is True (bool), not a real number",
                            "centers[1][0] (x of circle 1) is '0.3' (str)")

    def test_overlapping_circles_are_rejected_with_the_pair_and_the_amount(self):
        # Circle 0 sits at (0.1, 0.1); grow it so that it overlaps its neighbours 1 (0.1, 0.3) and 5 (0.3, 0.1).
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii[0] = 0.1 + 0.05\ncenters[0] = (0.15, 0.15)"))
        self.assert_invalid(metrics, correct, "circles 0 and 1 overlap by", "circles 0 and 5 overlap by")
        self.assertIn("overlap by", correct["error"])

    def test_small_overlap_beyond_the_tolerance_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii[12] = 0.1 + 1e-7"))
        self.assert_invalid(metrics, correct, "overlap by")

    def test_touching_within_the_tolerance_is_accepted(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii[12] = 0.1 + 1e-10"))
        self.assertTrue(correct["correct"], metrics["text_feedback"])

    def test_circle_outside_the_square_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("centers[24] = (0.95, 0.9)"))
        self.assert_invalid(metrics, correct, "circle 24 leaves the square: x + r")

    def test_wrong_count_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("centers = centers[:25]\nradii = radii[:25]"))
        self.assert_invalid(metrics, correct, "expected exactly 26 centers and 26 radii, got 25 centers and 25 radii")
        self.assertEqual(25, metrics["public"]["num_circles"])

    def test_negative_radius_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii[25] = -0.01"))
        self.assert_invalid(metrics, correct, "circle 25 has a negative radius")

    def test_huge_radii_are_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.packing_program("radii = [10.0] * 26"))
        feedback = self.assert_invalid(metrics, correct, "52 wall violations: circle 0 leaves the square", "325 overlapping pairs:")
        self.assertIn("and 320 more", feedback)
        self.assertEqual(260.0, metrics["public"]["sum_radii"])

    def test_a_program_that_raises_reports_the_exception(self):
        program = self.write_program("""
            def helper():
                raise RuntimeError("layout diverged at step 7")

            def run_packing():
                return helper()
        """)
        metrics, correct, _ = self.run_evaluator(program)
        feedback = self.assert_invalid(metrics, correct, "RuntimeError: layout diverged at step 7", "helper")
        self.assertIn("RuntimeError", correct["error"])
        self.assertIn("Traceback", feedback)

    def test_a_program_that_fails_to_import_reports_the_syntax_error(self):
        metrics, correct, _ = self.run_evaluator(self.write_program("def run_packing(:\n    pass\n"))
        self.assert_invalid(metrics, correct, "SyntaxError")

    def test_a_program_that_calls_sys_exit_is_reported_not_fatal(self):
        metrics, correct, _ = self.run_evaluator(self.write_program("import sys\n\ndef run_packing():\n    sys.exit(3)\n"))
        self.assert_invalid(metrics, correct, "SystemExit")

    def test_a_program_without_run_packing_is_rejected(self):
        metrics, correct, _ = self.run_evaluator(self.write_program("x = 1\n"))
        self.assert_invalid(metrics, correct, "no callable run_packing()")

    def test_a_program_that_hangs_is_stopped_by_the_time_limit(self):
        program = self.write_program("""
            def run_packing():
                while True:
                    try:
                        pass
                    except Exception:
                        pass
        """)
        metrics, correct, _ = self.run_evaluator(program, "--timeout_s", "1")
        self.assert_invalid(metrics, correct, "did not return within 1 s")

    def test_wrong_shapes_are_rejected(self):
        for body, fragment in (("return 'no'", "got a string"),
                               ("return [1, 2, 3]", "got 3 items"),
                               ("return 5", "must be a list or tuple"),
                               ("return [[(0.5, 0.5, 0.1)] * 26, [0.1] * 26]", "centers[0] must be an (x, y) pair")):
            with self.subTest(body=body):
                metrics, correct, _ = self.run_evaluator(self.write_program(f"def run_packing():\n    {body}\n"))
                self.assert_invalid(metrics, correct, fragment)

    def test_monkeypatching_math_does_not_fool_the_checks(self):
        program = self.write_program("""
            import math
            import builtins
            math.hypot = lambda *a: 100.0
            math.isfinite = lambda v: True
            builtins.len = lambda v: 26

            def run_packing():
                return [(0.5, 0.5)] * 26, [0.5] * 26
        """)
        metrics, correct, _ = self.run_evaluator(program)
        self.assert_invalid(metrics, correct, "overlap by")

    def test_a_score_above_the_known_bound_is_rejected(self):
        evaluator = load_module(os.path.join(CIRCLE_DIR, "evaluate.py"), "cp_evaluate_bound")
        evaluator.SUSPICIOUS_SCORE = 2.0  # the initial program's 2.13 stands in for an impossible score
        results = os.path.join(self.work, "bound")
        os.makedirs(results)
        score, ok = evaluator.evaluate(os.path.join(CIRCLE_DIR, "initial.py"), results)
        self.assertEqual((0.0, False), (score, ok))
        with open(os.path.join(results, "metrics.json"), encoding="utf-8") as handle:
            self.assertIn("score exceeds the known bound", json.load(handle)["text_feedback"])

    def test_bad_arguments_exit_non_zero(self):
        completed = subprocess.run([sys.executable, os.path.join(CIRCLE_DIR, "evaluate.py")],
                                   capture_output=True, text=True, timeout=60)
        self.assertNotEqual(0, completed.returncode)
        _, _, completed = self.run_evaluator(os.path.join(self.work, "missing.py"), expect_exit=2)
        self.assertIn("is not a file", completed.stderr)

    def test_the_block_holds_numeric_literals_only_in_its_constants(self):
        """A constant-perturbation mutator changes every literal in the block: keep them all tunable."""
        with open(os.path.join(CIRCLE_DIR, "initial.py"), encoding="utf-8") as handle:
            source = handle.read()
        block = source[source.index("# EVOLVE-BLOCK-START"):source.index("# EVOLVE-BLOCK-END")]
        for line in block.splitlines():
            code = line.split("#", 1)[0]
            if re.match(r"^[A-Z_]+ = -?\d+(\.\d+)?\s*$", code):
                continue
            self.assertIsNone(re.search(r"(?<![A-Za-z_])\d", code), f"numeric literal in block code: {line!r}")

    def test_random_constant_perturbations_improve_the_initial_program(self):
        """The starting point must be improvable by a constant mutator within a few dozen tries.

        Mirrors the engine's constant perturbation: 1 to 3 literals; a float v becomes |v (1 + 0.1 g)|
        (|0.1 g| when v = 0); an int moves by 1 to 3, never below 0.
        """
        evaluator = load_module(os.path.join(CIRCLE_DIR, "evaluate.py"), "cp_evaluate_perturb")
        with open(os.path.join(CIRCLE_DIR, "initial.py"), encoding="utf-8") as handle:
            source = handle.read()
        start, end = source.index("# EVOLVE-BLOCK-START"), source.index("# EVOLVE-BLOCK-END")
        constant = re.compile(r"^([A-Z_]+) = (-?\d+(?:\.\d+)?)$", re.M)
        constants = [(m.group(1), m.group(2)) for m in constant.finditer(source[start:end])]
        self.assertGreaterEqual(len(constants), 5)
        rng = random.Random(2024)
        improved = 0
        tries = 40
        for attempt in range(tries):
            block = source[start:end]
            for name, text in rng.sample(constants, rng.randint(1, 3)):
                if "." in text:
                    value, noise = float(text), rng.gauss(0.0, 1.0)
                    new = f"{abs(0.1 * noise if value == 0.0 else value * (1.0 + 0.1 * noise)):.4f}"
                else:
                    value, step = int(text), rng.randint(1, 3)
                    new = str(value + step if rng.random() < 0.5 or value - step < 0 else value - step)
                block = re.sub(rf"^{name} = .*$", f"{name} = {new}", block, flags=re.M)
            path = self.write_program(source[:start] + block + source[end:], name=f"mutant{attempt}.py")
            results = os.path.join(self.work, f"r{attempt}")
            os.makedirs(results)
            score, ok = evaluator.evaluate(path, results)
            self.assertTrue(ok, f"mutant {attempt} is invalid")
            if score > INITIAL_CIRCLE_SCORE + 1e-6:
                improved += 1
        self.assertGreaterEqual(improved, 3, f"only {improved} of {tries} perturbations improved")


class KModuleEvaluatorTests(EvaluatorCase):
    task_dir = KMODULE_DIR

    def config_program(self, loader, preprocess, algorithm, formatter):
        """initial.py with the four indices inside its EVOLVE-BLOCK replaced."""
        with open(os.path.join(KMODULE_DIR, "initial.py"), encoding="utf-8") as handle:
            source = handle.read()
        for name, value in (("LOADER", loader), ("PREPROCESS", preprocess),
                            ("ALGORITHM", algorithm), ("FORMATTER", formatter)):
            source, count = re.subn(rf"^{name} = .*$", f"{name} = {value}", source, flags=re.M)
            self.assertEqual(1, count, name)
        return self.write_program(source)

    def test_initial_program_is_valid_with_one_module_right(self):
        metrics, correct, _ = self.run_evaluator(os.path.join(KMODULE_DIR, "initial.py"))
        self.assertTrue(correct["correct"])
        self.assertIsNone(correct["error"])
        self.assertEqual(0.25, metrics["combined_score"])
        self.assertEqual({"correct_modules": 1, "num_modules": 4}, metrics["public"])
        self.assertIn("1 of 4 modules are correct", metrics["text_feedback"])

    def test_the_target_configuration_scores_one(self):
        metrics, correct, _ = self.run_evaluator(self.config_program(2, 3, 1, 4))
        self.assertTrue(correct["correct"])
        self.assertEqual(1.0, metrics["combined_score"])
        self.assertIn("csv_reader / normalize / quicksort / json", metrics["text_feedback"])

    def test_feedback_gives_the_count_but_not_which_modules(self):
        metrics, correct, _ = self.run_evaluator(self.config_program(2, 3, 0, 0))
        self.assertTrue(correct["correct"])
        self.assertEqual(0.5, metrics["combined_score"])
        feedback = metrics["text_feedback"]
        self.assertIn("2 of 4 modules are correct", feedback)
        for module in ("loader", "preprocess", "algorithm", "formatter"):
            self.assertNotIn(module, feedback)

    def test_an_index_out_of_range_is_invalid(self):
        for indices in ((5, 0, 0, 0), (0, 0, 0, -1)):
            with self.subTest(indices=indices):
                metrics, correct, _ = self.run_evaluator(self.config_program(*indices))
                self.assert_invalid(metrics, correct, "out of range")

    def test_a_wrong_type_is_invalid(self):
        for value in ("1.0", "True", "'csv_reader'"):
            with self.subTest(value=value):
                metrics, correct, _ = self.run_evaluator(self.config_program(value, 0, 0, 0))
                self.assert_invalid(metrics, correct, "loader index must be an int")

    def test_a_malformed_return_value_is_invalid(self):
        for body, fragment in (("return ['csv_reader', 'normalize', 'quicksort']", "must return 4 option names"),
                               ("return 'csv_reader normalize quicksort json'", "must return a list"),
                               ("return ['csv_reader', 'normalize', 'quicksort', 'protobuf']",
                                "'protobuf' is not an option of module formatter"),
                               ("return ['csv_reader', 'normalize', 3, 'json']", "the algorithm option must be a str")):
            with self.subTest(body=body):
                metrics, correct, _ = self.run_evaluator(self.write_program(f"def configure():\n    {body}\n"))
                self.assert_invalid(metrics, correct, fragment)

    def test_a_program_that_raises_is_invalid(self):
        metrics, correct, _ = self.run_evaluator(self.write_program("def configure():\n    return 1 / 0\n"))
        self.assert_invalid(metrics, correct, "ZeroDivisionError")

    def test_every_configuration_scores_its_number_of_correct_modules(self):
        """All 625 configurations, in process: exactly one scores 1, and C(4,k) * 4^(4-k) score k/4."""
        evaluator = load_module(os.path.join(KMODULE_DIR, "evaluate.py"), "km_evaluate_all")
        initial = load_module(os.path.join(KMODULE_DIR, "initial.py"), "km_initial_all")
        counts = [0] * 5
        for combo in itertools.product(range(5), repeat=4):
            names = [initial.OPTIONS[m][i] for m, i in zip(initial.MODULES, combo)]
            path = self.write_program(f"def configure():\n    return {names!r}\n")
            score, ok = evaluator.evaluate(path, self.work)
            self.assertTrue(ok)
            counts[round(score * 4)] += 1
        self.assertEqual([4 ** 4, 4 * 4 ** 3, 6 * 4 ** 2, 4 * 4, 1], counts)

    def test_bad_arguments_exit_non_zero(self):
        completed = subprocess.run([sys.executable, os.path.join(KMODULE_DIR, "evaluate.py"), "--results_dir", self.work],
                                   capture_output=True, text=True, timeout=60)
        self.assertNotEqual(0, completed.returncode)


if __name__ == "__main__":
    unittest.main()
