"""Learning-rate cool-down shared by the weeks' training recipes (plumbing, not a graded exercise).

A schedule is a function step -> learning rate, as trax's `TrainTask(lr_schedule=...)` takes it. A linear
cool-down to zero over the last part of a run settles weights that a constant or slowly decaying rate keeps
moving: measured on Week 2's summarizer and Week 3's question answering (see the README's figures).
"""
import numpy as np


def cooldown_steps(n_steps, fraction):
    """The number of final steps (>= 1) over which the rate falls to zero: round(fraction * n_steps).

    Args:
        n_steps: int > 0, the run's length.
        fraction: float in (0, 1].
    """
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps <= 0:
        raise ValueError(f"the cool-down needs the run's n_steps (an int > 0), but got {n_steps!r}")
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.0 < fraction <= 1.0:
        raise ValueError(f"the cool-down fraction must be in (0, 1], but got {fraction!r}")
    return max(1, round(fraction * n_steps))


def with_linear_cooldown(schedule, n_steps, fraction):
    """`schedule` times a factor that is 1 until the last `cooldown_steps(n_steps, fraction)` steps and then
    falls linearly to 0 at step `n_steps`: a new function step -> float32 learning rate."""
    decay_steps = cooldown_steps(n_steps, fraction)

    def cooled(step):
        left = np.clip((n_steps - np.asarray(step, np.float32)) / decay_steps, 0.0, 1.0)
        return schedule(step) * left

    return cooled
