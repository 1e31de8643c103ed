"""Week 3 plots: the transfer curve, mixing rates against the temperature, and attention masks."""
import numpy as np

from w3_qa.tasks import mixing_rates


def _pyplot():
    import matplotlib
    if matplotlib.get_backend().lower() not in ("module://matplotlib_inline.backend_inline", "inline"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


_ARM_STYLES = (("pretrained", "tab:blue", "pre-trained, then fine-tuned"),
               ("scratch", "tab:orange", "from scratch, same steps"),
               ("scratch_matched", "tab:gray", "from scratch, + pre-training's compute"))


def plot_transfer_curve(rows, ax=None):
    """Exact match (solid) and F1 (dashed) on held-out questions against the number of labeled questions (log
    scale), one colour per arm (pre-trained, from scratch, from scratch with the pre-training's compute): the
    mean over seeds, with bars from the lowest to the highest seed. `rows`: dicts {n_labeled, pretrained,
    exact_match, f1} and optionally "arm" and "seed" (`transfer.run`). Returns the figure."""
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4))
    else:
        fig = ax.figure
    for arm, color, label in _ARM_STYLES:
        chosen = [row for row in rows if (row.get("arm") or ("pretrained" if row["pretrained"] else "scratch")) == arm]
        if not chosen:
            continue
        sizes = sorted({row["n_labeled"] for row in chosen})
        for metric, style, name in (("exact_match", "o-", "EM"), ("f1", "s--", "F1")):
            values = [[row[metric] for row in chosen if row["n_labeled"] == n] for n in sizes]
            means = np.array([np.mean(v) for v in values])
            ax.plot(sizes, means, style, color=color, alpha=1.0 if metric == "exact_match" else 0.6,
                    label=f"{label}: {name}")
            if any(len(v) > 1 for v in values):
                ax.fill_between(sizes, [min(v) for v in values], [max(v) for v in values], color=color, alpha=0.12)
    ax.set_xscale("log")
    ax.set_xlabel("labeled questions used for fine-tuning")
    ax.set_ylabel("score on held-out questions (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Transfer learning: span-corruption pre-training")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_mixing_rates(sizes, names=None, temperatures=(1, 1.5, 2, 3, 4, 6, 8, 16, 32), limit=None, ax=None):
    """Temperature-scaled mixing rates of tasks of the given sizes as T grows (log scale), with equal mixing
    as a dotted line. Returns the figure."""
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4))
    else:
        fig = ax.figure
    names = names or [f"task {i + 1} ({size:,})" for i, size in enumerate(sizes)]
    rates = np.array([mixing_rates(sizes, "temperature", temperature=t, limit=limit) for t in temperatures])
    for column, name in enumerate(names):
        ax.plot(temperatures, rates[:, column], "o-", label=name)
    ax.axhline(1 / len(sizes), color="gray", linestyle=":", label="equal mixing")
    ax.set_xscale("log")
    ax.set_xticks(temperatures)
    ax.set_xticklabels([f"{t:g}" for t in temperatures])
    ax.set_xlabel("temperature T (T = 1: examples-proportional)")
    ax.set_ylabel("mixing rate")
    ax.set_title("Temperature-scaled mixing")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_attention_masks(masks, axes=None):
    """One panel per mask: `masks` is {title: (L, L) bool array, True where query row i may attend to key
    column j}; the allowed cells dark. Returns the figure."""
    plt = _pyplot()
    if axes is None:
        _, axes = plt.subplots(1, len(masks), figsize=(3.2 * len(masks), 3.4), squeeze=False)
        axes = axes[0]
    for ax, (title, mask) in zip(axes, masks.items()):
        mask = np.asarray(mask, dtype=bool)
        ax.imshow(mask, cmap="Blues", vmin=0, vmax=1.3)
        ax.set_title(title)
        ax.set_xlabel("key position j")
        ax.set_ylabel("query position i")
        ax.set_xticks(range(mask.shape[1]))
        ax.set_yticks(range(mask.shape[0]))
    figure = axes[0].figure
    figure.tight_layout()
    return figure
