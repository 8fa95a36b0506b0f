"""Claim J1: Jaillet, Jiang, Mellou, Molinaro, Podimata, Zhou, *Online Scheduling for LLM Inference with KV
Cache Constraints*, arXiv 2502.07115 (synthetic study of MC-SF against the hindsight optimum).

Layer: theory.

No seed document carries these figures; they are quoted from the paper's synthetic experiments;
the paper's number of requests per trial is not stated, so the check brackets it.
"""

from __future__ import annotations

from .record import KV_MEMORY, Assumption, Claim, Outcome, Source
from .registry import register_claim

JAILLET_MODEL = Assumption("Jaillet's synthetic instances", "M ~ U[30, 50], s ~ U[1, 5], o ~ U[1, M - s], "
                                                            "200 trials (n not stated)")
TWO_SETTINGS = Assumption("all at 0 / Poisson", "the first figures with every request at 0, the online ones with "
                                               "Poisson arrivals")


def _mcsf(res):
    return {st.policy: st for st in res.stats}["mcsf"]


def _line(res) -> str:
    s = _mcsf(res)
    return f"mean {s.mean_ratio:.4f}, worst {s.worst_ratio:.4f}, optimal {s.optimal_trials}/{s.trials}"


def _j1(trials: int, ns=(4, 5, 6)) -> Outcome:
    from ..exact.study import jaillet_study

    zero = {n: jaillet_study(n=n, trials=trials, arrivals="zero", time_limit=30) for n in ns}
    online = jaillet_study(n=5, trials=trials, arrivals="poisson", time_limit=30)
    means = {n: _mcsf(r).mean_ratio for n, r in zero.items()}
    shares = {n: _mcsf(r).optimal_trials / max(1, _mcsf(r).trials) for n, r in zero.items()}
    near_mean = min(ns, key=lambda n: abs(means[n] - 1.005))
    near_share = min(ns, key=lambda n: abs(shares[n] - 114 / 200))
    lo, hi = sorted((near_mean, near_share))
    bracket = f"n = {lo}" if lo == hi else f"n = {lo} and {hi}"
    text = "; ".join(f"n = {n}: {_line(r)}" for n, r in zero.items())
    return Outcome("open", f"the paper does not state n; all at 0, {trials} trials per n (exact OPT by CP-SAT): {text} "
                           f"(published mean 1.005, worst 1.074, 114/200 optimal): the published mean points to "
                           f"n = {near_mean}, the optimal share to n = {near_share}, so the figures are bracketed by "
                           f"{bracket}. Online (Poisson, rate 0.1, n = 5): {_line(online)} (published mean 1.047, worst "
                           f"1.227)",
                   {"zero": {n: r.to_dict() for n, r in zero.items()}, "poisson_n5": online.to_dict(),
                    "bracket": [lo, hi]},
                   headline=f"Consistent with the paper for n between {lo} and {hi} (n is not stated).",
                   notes=("the worst ratio of a sample is noisy (it is the maximum of the trials); the mean and the "
                          "optimal share are the figures that locate n",))


register_claim(Claim(
    "J1", "MC-SF vs hindsight OPT: mean 1.005, worst 1.074, 114/200 optimal; online 1.047 / 1.227",
    "(all at 0) MC-SF / hindsight optimum: mean 1.005, worst 1.074, 114 of 200 trials optimal; online arrivals: "
    "mean 1.047, worst 1.227", Source("the paper (no seed document carries it)",
                                      "Jaillet, Jiang, Mellou, Molinaro, Podimata, Zhou, arXiv 2502.07115",
                                      "synthetic experiments"),
    "empirical claim", (JAILLET_MODEL, TWO_SETTINGS, KV_MEMORY),
    lambda: _j1(30), lambda: _j1(200), command="lpsched jaillet --n 5 --trials 30 --arrivals both --time-limit 30",
    full_command="lpsched jaillet --n 4 --trials 200 --arrivals zero; lpsched jaillet --n 5 --trials 200 "
                 "--arrivals both"))
