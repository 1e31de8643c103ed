"""`make pictures`: the PNGs the README and docs/ show, drawn by the weeks' own code from the committed models.

    python -m tools.pictures [--out docs/images] [--only NAME ...] [--per-bucket 20] [--w2-n 200 --w2-seed 2]

Pictures (NAME: file; what draws it):
* w1_attention: w1_attention.png; `w1_nmt.visualize.attention_weights` / `plot_attention` of the committed
  NMTAttn on the first test sentence with "because" (at most 16 words), as the Week 1 notebook shows it.
* w1_bleu_by_length: w1_bleu_by_length.png and .json; `w1_nmt.visualize.bleu_by_length` of the committed
  NMTAttn and seq2seq baseline (no attention), greedy, on `--per-bucket` test pairs of each length bucket
  of `make bench` (bench/run_all.py's LENGTH_BUCKETS).
* w2_fact_recall: w2_fact_recall.png and .json; `w2_summarizer.evaluate.evaluate_reference` (as
  `python -m w2_summarizer.evaluate --n N --seed S` runs it): the share of each key-fact type restated word
  for word, against the 60% target.
* w3_transfer_curve: w3_transfer_curve.png; `w3_qa.visualize.plot_transfer_curve` of the rows in
  w3_qa/assets/transfer_curve.json (written by `python -m w3_qa.transfer`): rerun this after that command.
* feedback: feedback.png; the isolating runner (`autograde w1_nmt`) grades the bundled "mistakes" sample
  into a temporary folder, and headless chromium screenshots its feedback.html. Needs chromium on PATH
  (Debian: `apt-get install chromium`); without it this picture stops with that message.

Each picture is independent (`--only`); the .json files keep the figures each picture shows.
"""
import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from coursekit.files import write_json

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "images"
DPI = 90
FACT_TARGET = 0.60


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _save(figure, path):
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    _pyplot().close(figure)
    return path


def w1_attention(out, **_):
    """Attention of the committed NMTAttn (mean over heads) on one test sentence -> w1_attention.png."""
    from coursekit.tokenizer import EOS_ID
    from w1_nmt import config as cfg
    from w1_nmt.data import make_splits
    from w1_nmt.tokenizer import default_tokenizer
    from w1_nmt.train import load_model
    from w1_nmt.visualize import attention_weights, plot_attention

    c = cfg.DEFAULT
    test = make_splits(n_train=c.n_train, n_eval=c.n_eval, n_test=c.n_test, seed=c.seed)["test"]
    english, german = next((en, de) for en, de in test if "because" in en and len(en.split()) <= 16)
    tokenizer = default_tokenizer()
    input_ids = tokenizer.tokenize(english) + [EOS_ID]
    output_ids = tokenizer.tokenize(german) + [EOS_ID]
    weights = attention_weights(load_model(), input_ids, output_ids)
    ax = plot_attention(weights, [tokenizer.id_to_piece(i) for i in input_ids],
                        [tokenizer.id_to_piece(i) for i in output_ids], title=english)
    return [_save(ax.figure, out / "w1_attention.png")]


def w1_bleu_by_length(out, per_bucket=20, **_):
    """Corpus BLEU by source length, with and without attention -> w1_bleu_by_length.png/.json."""
    from bench.run_all import LENGTH_BUCKETS
    from w1_nmt import config as cfg
    from w1_nmt.data import make_splits
    from w1_nmt.decoding import greedy_decode
    from w1_nmt.tokenizer import default_tokenizer
    from w1_nmt.train import load_model
    from w1_nmt.visualize import bleu_by_length, plot_bleu_by_length

    for checkpoint in (cfg.REFERENCE_CHECKPOINT, cfg.BASELINE_CHECKPOINT):
        if not checkpoint.exists():
            raise FileNotFoundError(f"no checkpoint at {checkpoint}: train it with `make train` "
                                    f"(the baseline: `python -m w1_nmt.train --baseline`)")
    c = cfg.DEFAULT
    test = make_splits(n_train=c.n_train, n_eval=c.n_eval, n_test=c.n_test, seed=c.seed)["test"]
    tokenizer = default_tokenizer()
    models = {"attention": load_model(), "no attention (seq2seq)": load_model(attention=False)}
    start = time.perf_counter()
    result = bleu_by_length(models, test, tokenizer, LENGTH_BUCKETS,
                            lambda s, m, t: greedy_decode(s, m, tokenizer=t, max_length=c.max_length),
                            max_per_bucket=per_bucket)
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["per_bucket"] = per_bucket
    ax = plot_bleu_by_length(result)
    ax.set_title(f"Week 1: greedy test BLEU by sentence length ({per_bucket} pairs per bucket at most)")
    write_json(out / "w1_bleu_by_length.json", result)
    return [_save(ax.figure, out / "w1_bleu_by_length.png"), out / "w1_bleu_by_length.json"]


def plot_fact_recall(recall, title, ax=None):
    """Horizontal bars of `w2_summarizer.evaluate.fact_recall`'s dict (fact type -> share), "all" on top,
    lowest types last, with the 60% target as a dashed line. Returns the Axes."""
    plt = _pyplot()
    names = sorted((name for name in recall if name != "all"), key=lambda name: -recall[name])
    names = ["all"] + names
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.28 * len(names) + 1.4))
    values = [100 * recall[name] for name in names]
    colors = ["tab:gray" if name == "all" else ("tab:blue" if recall[name] >= FACT_TARGET else "tab:red")
              for name in names]
    ax.barh(range(len(names)), values, color=colors)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([name.replace("_", " ") for name in names], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(100 * FACT_TARGET, color="black", linestyle="--", linewidth=1, label="target: 60% of each type")
    for index, value in enumerate(values):
        ax.text(min(value + 1, 92), index, f"{value:.0f}%", va="center", fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_xlabel("key facts restated word for word in the summary (%)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower right", fontsize=7)
    return ax


def w2_fact_recall(out, w2_n=200, w2_seed=2, **_):
    """The committed summarizer's fact recall by type on fresh articles -> w2_fact_recall.png/.json."""
    from w2_summarizer.evaluate import evaluate_reference

    scores, _ = evaluate_reference(w2_n, w2_seed)
    record = {key: scores[key] for key in ("rouge1", "rouge2", "rougeL", "n", "fact_recall")}
    record["seed"] = w2_seed
    record["seconds"] = round(scores["seconds"], 1)
    title = (f"Week 2: facts restated, {w2_n} fresh articles (seed {w2_seed}); "
             f"ROUGE-1 F1 {scores['rouge1']:.3f}")
    ax = plot_fact_recall(scores["fact_recall"], title)
    write_json(out / "w2_fact_recall.json", record)
    return [_save(ax.figure, out / "w2_fact_recall.png"), out / "w2_fact_recall.json"]


def w3_transfer_curve(out, **_):
    """The committed transfer curve (w3_qa/assets/transfer_curve.json) -> w3_transfer_curve.png."""
    from w3_qa import config as cfg
    from w3_qa.visualize import plot_transfer_curve

    if not cfg.TRANSFER_RESULTS.exists():
        raise FileNotFoundError(f"no transfer curve at {cfg.TRANSFER_RESULTS}: run `python -m w3_qa.transfer`")
    record = json.loads(cfg.TRANSFER_RESULTS.read_text(encoding="utf-8"))
    figure = plot_transfer_curve(record["rows"])
    steps = record["steps"]  # {size: fine-tuning steps}, or one count in curves written before per-size steps
    steps = " / ".join(str(v) for v in steps.values()) if isinstance(steps, dict) else str(steps)
    figure.axes[0].set_title(f"Week 3 transfer curve: {len(record['seeds'])} seeds, "
                             f"{steps} fine-tuning steps", fontsize=9)
    return [_save(figure, out / "w3_transfer_curve.png")]


def chromium():
    """The path of a chromium (or chrome) binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html, png, width=1500, height=1300):
    """Render the HTML file `html` with headless chromium into `png` (width x height pixels)."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("the feedback picture needs chromium on PATH: as root, `apt-get install -y "
                                "chromium` (Debian), then rerun `make pictures`")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={png}", pathlib.Path(html).resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot to {png}")
    return png


def feedback(out, **_):
    """The runner's feedback.html for Week 1's "mistakes" sample, as chromium renders it -> feedback.png."""
    if chromium() is None:
        screenshot(None, None)  # raises with the install hint, before the grading is paid for
    sample = ROOT / "autograder" / "samples" / "w1_nmt" / "mistakes.ipynb"
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        (folder / "submissions").mkdir()
        shutil.copy(sample, folder / "submissions" / "mistakes.ipynb")
        subprocess.run([sys.executable, "-m", "autograder.runner.cli", "w1_nmt", str(folder / "submissions"),
                        "--out", str(folder / "results"), "--no-progress"], check=True, cwd=ROOT)
        html = folder / "results" / "mistakes" / "feedback.html"
        if not html.exists():
            raise RuntimeError(f"the runner wrote no {html}")
        png = screenshot(html, folder / "feedback.png")
        _shrink(png, out / "feedback.png")
    return [out / "feedback.png"]


def _shrink(source, target, colors=64):
    """Save `source` PNG to `target` with a reduced palette (a screenshot is mostly flat colour)."""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=colors).save(target, optimize=True)


PICTURES = {"w1_attention": w1_attention, "w1_bleu_by_length": w1_bleu_by_length,
            "w2_fact_recall": w2_fact_recall, "w3_transfer_curve": w3_transfer_curve, "feedback": feedback}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="+", choices=sorted(PICTURES), default=None,
                        help="draw only these pictures (default: all)")
    parser.add_argument("--per-bucket", type=int, default=20, help="w1_bleu_by_length: test pairs per length bucket")
    parser.add_argument("--w2-n", type=int, default=200, help="w2_fact_recall: fresh articles")
    parser.add_argument("--w2-seed", type=int, default=2, help="w2_fact_recall: seed of the fresh articles")
    args = parser.parse_args(argv)
    if args.per_bucket < 1 or args.w2_n < 1:
        parser.error("--per-bucket and --w2-n must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.only or PICTURES:
        start = time.perf_counter()
        try:
            written = PICTURES[name](args.out, per_bucket=args.per_bucket, w2_n=args.w2_n, w2_seed=args.w2_seed)
        except (FileNotFoundError, RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"{name}: FAILED: {exc}", file=sys.stderr, flush=True)
            failed.append(name)
            continue
        sizes = ", ".join(f"{path.name} ({path.stat().st_size // 1024} KB)" for path in written)
        print(f"{name}: {sizes} in {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        print(f"not drawn: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
