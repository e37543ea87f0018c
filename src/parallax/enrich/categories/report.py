"""The categories evaluation as Markdown (printed by the command and written to BENCHMARKS.md)."""

from __future__ import annotations

from parallax.enrich.categories.evaluate import Score

COMMAND = "parallax eval categories"
LABELS = {"airline": "airline tweets, `negativereason`", "cfpb": "CFPB complaints, `Issue` -> banking pack"}


def markdown(results: dict[str, tuple[list[Score], int, int]]) -> str:
    """One table per data set: macro-F1 and accuracy on the held-out part, with training time."""
    lines = [
        "## Complaint categories",
        "",
        f"Reproduce with `{COMMAND}`. Each data set's rows are split by a hash of their id (one in five held "
        "out; duplicated tweet ids kept once); labels are mapped onto the taxonomy pack through its "
        '`maps_from` lists and unmapped labels (airline "Can\'t Tell", rare CFPB issues) are left out. All '
        "models are trained in the same command on the training part and scored on the held-out part.",
        "",
    ]
    for name, (scores, n_train, n_heldout) in results.items():
        lines += [
            f"**{LABELS.get(name, name)}** ({n_train} training, {n_heldout} held out)",
            "",
            "| model | macro-F1 | accuracy | seconds (train + predict) |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {score.model} | {score.macro_f1:.3f} | {score.accuracy:.3f} | {score.seconds:.1f} |"
            for score in scores
        ]
        lines.append("")
    return "\n".join(lines)
