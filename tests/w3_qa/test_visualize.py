"""The transfer curve and mixing-rate plots draw what they are given."""
import numpy as np

from w3_qa.tasks import mixing_rates
from w3_qa.visualize import plot_mixing_rates, plot_transfer_curve


def test_transfer_curve_plots_both_runs_per_size():
    rows = [{"n_labeled": n, "pretrained": p, "exact_match": em, "f1": em + 5}
            for n, p, em in ((100, True, 50), (100, False, 5), (400, True, 70), (400, False, 30))]
    fig = plot_transfer_curve(rows)
    ax = fig.axes[0]
    assert len(ax.lines) == 4 and ax.get_xscale() == "log"
    pretrained_em = ax.lines[0]
    np.testing.assert_array_equal(pretrained_em.get_xdata(), [100, 400])
    np.testing.assert_array_equal(pretrained_em.get_ydata(), [50, 70])


def test_transfer_curve_averages_seeds_per_arm():
    rows = [{"n_labeled": n, "pretrained": arm == "pretrained", "arm": arm, "seed": seed, "exact_match": em,
             "f1": em + 5}
            for arm, base in (("pretrained", 40), ("scratch", 10), ("scratch_matched", 20))
            for n in (100, 400) for seed, em in ((0, base), (1, base + 10), (2, base + 20))]
    ax = plot_transfer_curve(rows).axes[0]
    assert len(ax.lines) == 6
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [50, 50])  # pre-trained EM: mean of 40, 50, 60
    np.testing.assert_array_equal(ax.lines[4].get_ydata(), [30, 30])  # matched control EM
    assert len(ax.collections) == 6, "one spread bar set per arm and metric"


def test_mixing_rate_plot_follows_mixing_rates():
    sizes = [1000, 50000, 400000]
    fig = plot_mixing_rates(sizes, temperatures=(1, 2, 8))
    ax = fig.axes[0]
    smallest = ax.lines[0].get_ydata()
    np.testing.assert_allclose(smallest, [mixing_rates(sizes, "temperature", temperature=t)[0] for t in (1, 2, 8)])
    assert ax.lines[-1].get_ydata()[0] == 1 / 3  # the equal-mixing line
