"""The K-module problem (after OpenEvolve's example): pick one option for each of four pipeline modules.

Each module has five options; exactly one configuration of the 5**4 = 625 is right, and the evaluator
only says how many of the four modules are right, never which. The options are chosen by small integer
indices inside the EVOLVE-BLOCK, so both an LLM and a numeric-constant mutator can change them.
Pure standard library.
"""

MODULES = ("loader", "preprocess", "algorithm", "formatter")

OPTIONS = {
    "loader": ("json_reader", "xml_reader", "csv_reader", "parquet_reader", "yaml_reader"),
    "preprocess": ("standardize", "minmax_scale", "log_transform", "normalize", "passthrough"),
    "algorithm": ("mergesort", "quicksort", "heapsort", "insertion_sort", "bubblesort"),
    "formatter": ("xml", "yaml", "csv", "plain_text", "json"),
}


# EVOLVE-BLOCK-START
# One index per module, each in 0..4 (see OPTIONS above for what the indices mean).
LOADER = 0
PREPROCESS = 0
ALGORITHM = 1
FORMATTER = 0
# EVOLVE-BLOCK-END


def pick(module, index):
    """The option name at `index` for `module`; rejects anything but an int in range."""
    options = OPTIONS[module]
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"{module} index must be an int in 0..{len(options) - 1}, got {index!r}")
    if not 0 <= index < len(options):
        raise IndexError(f"{module} index {index} is out of range 0..{len(options) - 1}")
    return options[index]


def configure():
    """Entry point called by the evaluator: the chosen option name of each module, in MODULES order."""
    return [pick(module, index) for module, index in zip(MODULES, (LOADER, PREPROCESS, ALGORITHM, FORMATTER))]


if __name__ == "__main__":
    print(" / ".join(configure()))
