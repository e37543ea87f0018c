"""The signals evaluation as a Markdown section (printed by the command and written to BENCHMARKS.md)."""

from __future__ import annotations

Table = list[dict[str, float | int | str]]

COMMAND = "parallax eval signals  # after: parallax train signals"


def markdown(results: dict[str, Table], n_dev: int, n_heldout: int) -> str:
    """One table per (layer, part) with precision, recall, F1 and support per signal, plus their macro-F1."""
    lines = [
        "## Consumer-side signals (gold set labelled by the project, docs/labelling-guide.md)",
        "",
        f"Gold set: {n_dev + n_heldout} real messages ({n_dev} development, {n_heldout} held out by id "
        "hash); "
        "the development figures of the model are 5-fold out-of-fold. Reproduce with `" + COMMAND + "`.",
        "",
    ]
    for name, table in results.items():
        macro = sum(float(row["f1"]) for row in table) / len(table)
        lines += [f"**{name}** (macro-F1 {macro:.3f})", "", "| signal | precision | recall | F1 | support |"]
        lines.append("| --- | --- | --- | --- | --- |")
        lines += [
            f"| {row['signal']} | {float(row['precision']):.2f} | {float(row['recall']):.2f} "
            f"| {float(row['f1']):.2f} | {row['support']} |"
            for row in table
        ]
        lines.append("")
    return "\n".join(lines)
