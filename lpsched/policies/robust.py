"""Policies that schedule on *estimates* of the output lengths: ``amax``, ``amin``, ``sf_point``.

Layer: policies.

Chen, Ye, Zhou, *Adaptively Robust LLM Inference Optimization under Prediction Uncertainty*,
arXiv 2508.14544:

* ``amax`` -- A_max: treat every request as ``o = u_i`` (upper end of its interval); at each time admit a
  largest feasible set under the MC-SF future-memory check; never evicts.  It relies on ``o <= u``, so
  :meth:`EstimatePolicy.check` rejects instances whose ``o`` lies outside the interval.  "Largest":
  waiting requests are scanned by ``(u, s)`` ascending, skipping those that do not fit; this is a largest
  set when the waiting requests share ``(s, u)`` (the paper's setting) and a maximal one otherwise.

  *When* A_max admits has two readings (``reading=``).  The slides (Zhou, seminar 2025, "Robust LLM
  Inference Scheduling under Output Length Prediction") say: "At each time t, randomly pick the largest
  subset U subset R_t s.t. constraint is met using o_i = u."

  - ``"refill"`` (default): at *every* time ``t``, admit a largest set that passes the future-memory
    check together with the running requests.  Memory freed by a request that ends before ``u`` is
    refilled at once.
  - ``"batch"``: start new requests only when *nothing is running*; then admit a largest feasible set.
    A_max then runs batch after batch, each lasting as long as its longest member.  This is the reading
    under which the slides' lower-bound construction ("N_l jobs with o_i = l and N_u jobs with o_i = u,
    where N_l/N_u = alpha^-1/2") approaches ``alpha^-1 (1 + alpha^-1/2) / 2 = 6`` for ``alpha = 1/4``
    (for other ``alpha`` it does not: :func:`lpsched.studies.uncertainty.batch_fluid_ratio`).
* ``amin`` -- A_min: estimate ``õ_i = l_i``; while running ``õ_i = max(l_i, g_i + 1)`` (a request that has
  produced ``g`` tokens and not finished has ``o >= g + 1``); an evicted request keeps what it learned
  (``l_i <- max(l_i, g + 1)``).  Admission: waiting requests by ``õ`` ascending with the future-memory
  check on ``õ``, stopping at the first that fails.  Overflow: when the next step would exceed ``M``,
  evict the running request with the smallest ``õ`` until it fits.  A request evicted at ``t`` can
  restart from ``t + 1`` (as in ``vllm``).  Multi-interval A_min is the same rule with each request's own
  lower end.
* ``sf_point`` -- point-prediction SF (SSJF / LTR style): MC-SF fed with ``õ_i = round(point_i)``, the
  running estimate again ``max(õ_i, g_i + 1)``; on overflow evict as ``vllm`` (most recently started).

Estimates are clipped to ``[1, M - s_i]`` (no request can be longer).  The future-memory check uses
predicted ends ``max(p_j + õ_j, t + 1)``: a request past its estimate is predicted to finish next step.

Ties (``tie=``): ``"random"`` (default for amax / amin; a uniformly random order among requests with equal
keys, drawn from the engine's seeded generator only when the tie actually decides something),
``"index"`` (arrival, then index -- with exact intervals ``l = u = o`` amin is then H-SF), and
``"adversarial"`` (ties broken against the policy: admit the longest true ``o`` first, evict the
shortest; the adversary, not the rule, reads ``o``, so such a policy object is marked clairvoyant).
The random stream, exactly (the compiled twin, :mod:`lpsched.kernels.estimate`, draws the same numbers):
a random tie draws the members it decides about one at a time from a list of the ``r`` members left,
each draw a position ``x = rng.integers(r)`` (numpy's Lemire method; nothing is drawn when ``r = 1``);
the member at ``x`` is taken out and the list's last member moves into its place (a lazy Fisher-Yates:
a decision costs one draw per member it takes, not a permutation of the whole group).

- Admission: the waiting requests with one key form a *group* (equal ``õ``; for ``amax`` also equal
  ``s``), listed in the order they joined as changed by the draws.  If the group's smallest prompt fits
  but the whole group does not (one check: its members all end at ``t + õ``), members are drawn while
  the smallest prompt still in the list fits; a drawn member that fits starts; one that does not is set
  aside, rejoins the end of the list after the tie, and under the ``stop`` scan ends the tie.
- Eviction (``amin``): the running requests with the smallest estimate, listed by index; unless there is
  one or all of them must go (then by index, without a draw), members are drawn and evicted until the
  next step fits.

Waking up (the fast clock): between events the running set is fixed; A_min predicts a request past its
estimate to end next step.  The policy keeps that forecast across decisions (:class:`FutureMemory`,
runs past their estimate merged at ``t + 1``) and asks to be woken when the next candidate first fits
(exact); A_max's ``"batch"`` reading starts nobody while anything runs and asks for nothing.

Examples
--------
>>> from lpsched import Instance, Predictions, simulate
>>> inst = Instance(6, s=[2, 2, 2, 2], o=[1, 1, 2, 3], predictions=Predictions(lower=[1] * 4, upper=[4] * 4))
>>> simulate(inst, "amax", tie="index").schedule.start.tolist()   # o = u = 4 for all: one at a time
[0, 1, 2, 4]
>>> res = simulate(inst, "amin", tie="index")                     # o = 1 assumed: two at a time, ...
>>> res.schedule.start.tolist(), res.schedule.evictions.tolist()  # ... request 2 evicted at t = 2
([0, 0, 4, 1], [[2, 1, 2]])

The two readings of A_max on ``M = 12``, ``s = 1``, ``u = 4``, ``o = 1, 4, 1`` (two fit at a time):

>>> inst = Instance(12, s=[1, 1, 1], o=[1, 4, 1], predictions=Predictions(lower=[1] * 3, upper=[4] * 3))
>>> simulate(inst, "amax", tie="index").schedule.start.tolist()                   # 2 starts at t = 1
[0, 0, 1]
>>> simulate(inst, "amax", tie="index", reading="batch").schedule.start.tolist()  # ... at t = 4
[0, 0, 4]
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from ..future import FutureMemory
from ..model import Instance, InstanceError
from .registry import register
from .vllm import evict_most_recent

__all__ = ["EstimatePolicy", "TIES", "READINGS"]

TIES = ("random", "index", "adversarial")
SCANS = ("stop", "skip")
READINGS = ("refill", "batch")
EVICTIONS = ("none", "smallest", "recent")


class EstimatePolicy:
    """MC-SF admission on adaptive estimates ``max(L_i, g_i + 1)``; shared by amax, amin, sf_point.

    Parameters
    ----------
    name : registry name.
    source : ``"lower"``, ``"upper"`` or ``"point"``: where the initial estimate ``L_i`` comes from.
    scan : ``"stop"`` (stop at the first group that does not fit) or ``"skip"`` (go on; largest set).
    eviction : ``"none"``, ``"smallest"`` (smallest estimate first, ``tie`` rule) or ``"recent"`` (vLLM).
    learn : an evicted request keeps ``L_i = max(L_i, g + 1)``.
    tie : one of :data:`TIES`.
    key_s : admission key is ``(õ, s)`` instead of ``õ`` (amax: smaller prompts make larger sets).
    reading : ``"refill"`` (admit at every decision) or ``"batch"`` (admit only when nothing runs); see
        the module docstring.
    """

    def __init__(self, name: str, source: str, scan: str, eviction: str, learn: bool, tie: str,
                 key_s: bool = False, reading: str = "refill") -> None:
        for arg, val, valid in (("source", source, ("lower", "upper", "point")), ("scan", scan, SCANS),
                                ("eviction", eviction, EVICTIONS), ("tie", tie, TIES),
                                ("reading", reading, READINGS)):
            if val not in valid:
                raise ValueError(f"unknown {arg} {val!r}; valid: {', '.join(valid)}")
        self.name, self.source, self.scan, self.eviction = name, source, scan, eviction
        self.learn, self.tie, self.key_s, self.reading = learn, tie, key_s, reading
        self.clairvoyant = tie == "adversarial"

    # ------------------------------------------------------------------ boundary
    def check(self, instance: Instance) -> None:
        """The predictions this policy needs exist; ``amax`` also needs ``o`` inside ``[l, u]``."""
        p = instance.predictions
        if self.source in ("lower", "upper"):
            if p is None or p.lower is None:
                raise InstanceError(f"policy {self.name!r} needs interval predictions (predictions.lower/upper)")
            if self.source == "upper":
                instance.check_intervals_contain_truth()
        elif p is None or p.point is None:
            raise InstanceError(f"policy {self.name!r} needs point predictions (predictions.point)")

    # ------------------------------------------------------------------ state
    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        L = self._estimates(view)
        self._M = view.memory
        self._s = view.s.tolist()
        self._a = view.a.tolist()
        self._L = L.tolist()
        self._o = view.o.tolist() if self.tie == "adversarial" else None
        self._rng = rng
        self._groups: dict[tuple, _Group] = {}
        self._heap: list[tuple] = []
        self._tree: _MinTree | None = None
        if self.scan == "skip" and not self.learn:
            # static keys: a group's slot is the rank of its key, and a tree of the groups' smallest
            # prompts over the slots finds the next group that a failed one does not dominate
            keys = [self._gkey(i) for i in range(view.n)]
            distinct = sorted(set(keys))
            slot_of = {k: x for x, k in enumerate(distinct)}
            self._slot = [slot_of[k] for k in keys]
            self._slot_key = distinct
            self._tree = _MinTree(len(distinct))
        self._run = FutureMemory(view.memory)   # running set with its predicted ends, kept across calls
        self._started: dict[int, int] = {}       # start of each run in ``_run``

    def _estimates(self, view) -> np.ndarray:
        """Initial estimates ``L`` (from the predictions this policy reads), clipped to ``[1, M - s]``."""
        p = view.predictions
        if self.source == "point":
            if p is None or p.point is None:
                raise InstanceError(f"policy {self.name!r} needs point predictions (predictions.point)")
            est = np.rint(p.point)
        else:
            if p is None or p.lower is None:
                raise InstanceError(f"policy {self.name!r} needs interval predictions (predictions.lower/upper)")
            est = p.lower if self.source == "lower" else p.upper
        return np.clip(np.asarray(est, dtype=np.int64), 1, view.memory - view.s)

    def compiled(self, instance: Instance):
        """The compiled twin of this rule (:mod:`lpsched.kernels.estimate`), or ``None``: for a subclass,
        for option combinations other than the registered ``amax``, ``amin`` and ``sf_point``, and for
        keys that do not fit in 62 bits."""
        from .. import kernels as K
        from ..kernels import estimate as E

        if not K.exact_type(self, EstimatePolicy):
            return None
        combo = (self.source, self.scan, self.eviction, self.learn, self.key_s)
        if combo not in (("upper", "skip", "none", False, True), ("lower", "stop", "smallest", True, False),
                         ("point", "stop", "recent", False, False)):
            return None
        try:
            self.check(instance)          # the kernel trusts its input: a bad one goes to the Python engine
            L = self._estimates(instance)
        except InstanceError:
            return None
        n, M = instance.n, instance.memory
        s, o, a = K.i64(instance.s), K.i64(instance.o), K.i64(instance.a)
        arrivals = K.arrival_order(instance)
        arr_rank = np.empty(n, np.int64)
        arr_rank[arrivals] = np.arange(n)
        arr_rank = K.i64(arr_rank)
        o_max = int(o.max())
        gslot = K.i64(np.zeros(1, np.int64))
        if self.learn:                    # amin: the key changes when a request learns
            if self.tie == "random":
                kind, n_slots = E.SLOT_BY_L, M + 1
                if M > 4 * n + (1 << 20):
                    return None           # one slot per estimate: too many
            else:
                kind, n_slots = E.SLOT_BY_ID, n
                if (M + 1) * (o_max + 1) * n >= 1 << 62:
                    return None
        else:                             # static keys: their rank is the slot
            kind = E.SLOT_STATIC
            keys = (L, s) if self.key_s else (L,)
            if self.tie == "random":
                gslot = K.key_groups(*keys)
            elif self.tie == "index":
                gslot, _ = K.ranks(*keys, a)
            else:
                gslot, _ = K.ranks(*keys, -o, a)
            n_slots = int(gslot.max()) + 1
        tie = {"random": E.RANDOM, "index": E.INDEX, "adversarial": E.ADVERSARIAL}[self.tie]
        eviction = {"none": E.EVICT_NONE, "smallest": E.EVICT_SMALLEST, "recent": E.EVICT_RECENT}[self.eviction]
        L = np.ascontiguousarray(L, dtype=np.int64)      # a fresh array: amin's kernel learns into it
        return K.Job("estimate", "estimate",
                     (M, s, o, a, L, arrivals, arr_rank, kind, gslot, n_slots, self.scan == "skip", eviction,
                      self.learn, tie, self.reading == "batch", o_max), random=True, evicts=True, variant=self.scan)

    def release(self) -> None:
        """Drop the per-run state (the engine calls this once the run is over)."""
        for attr in ("_s", "_a", "_L", "_o", "_rng", "_groups", "_heap", "_tree", "_slot", "_slot_key", "_run",
                     "_started"):
            self.__dict__.pop(attr, None)

    def _gkey(self, i: int) -> tuple:
        key = (self._L[i], self._s[i]) if self.key_s else (self._L[i],)
        if self.tie == "random":
            return key
        if self.tie == "index":
            return key + (self._a[i], i)
        return key + (-self._o[i], self._a[i], i)

    def _enqueue(self, i: int) -> None:
        k = self._gkey(i)
        grp = self._groups.get(k)
        if grp is None:
            grp = self._groups[k] = _Group()
            if self._tree is None:
                heapq.heappush(self._heap, k)
        grp.add(i, self._s[i])
        if self._tree is not None:
            self._tree.set(self._slot[i], grp.min_s())

    def _run_of(self, i: int, t: int) -> tuple[int, int, int]:
        """``(s, start, predicted end)`` of running ``i`` as ``_run`` holds it at ``t``: ``max(p + L, t + 1)``."""
        p = self._started[i]
        return self._s[i], p, max(p + self._L[i], t + 1)

    def _drop_run(self, i: int, t: int) -> None:
        """Remove a completed or evicted run from ``_run``."""
        self._run.remove(*self._run_of(i, t))
        del self._started[i]

    # ------------------------------------------------------------------ decide
    def decide(self, state: State) -> Decision:
        t, s, M, fm = state.t, self._s, self._M, self._run
        for i in state.arrived:
            self._enqueue(i)
        fm.postpone(t)        # a run past its estimate õ = max(L, g + 1) is predicted to end at t + 1
        for i in state.completed:
            self._drop_run(i, t)
        evict: list[int] = []
        need = state.memory_next
        if need > M:
            if self.eviction == "recent":
                evict, need = evict_most_recent(state, s, need, M)
            elif self.eviction == "smallest":
                evict, need = self._evict_smallest(state, need)
            # "none": the engine reports the overflow (cannot happen when o <= u)
        for i in evict:
            self._drop_run(i, t)
            if self.learn:
                self._L[i] = max(self._L[i], t - state.running[i] + 1)
        batch = self.reading == "batch"
        starts = [] if batch and self._started else self._admit(fm, t)
        for i in starts:
            self._started[i] = t
        for i in evict:       # queued behind this step's arrivals; may restart from t + 1
            self._enqueue(i)
        if batch and self._started:
            return Decision(starts, evict, NEVER)   # nobody starts before the running set has emptied
        return Decision(starts, evict, self._first_fit(fm, t + 1, self._candidates()))

    def _first_fit(self, fm: FutureMemory, frm: int, cands: list[tuple[int, int]]) -> float:
        """Earliest time ``tau >= frm`` (``frm`` after the current time ``t``) at which a candidate fits,
        if the running set ``fm`` keeps running; ``NEVER`` if none does before that set overflows.

        Exact: A_min predicts a run past its estimate at ``tau`` to end at ``tau + 1``, so at ends
        ``q >= tau + 2`` its check sees the runs whose ends in ``fm`` (forecast at ``t``) are ``>= q``,
        as ``fm`` does, and at ``tau + 1`` the whole running set; that last check is (a) below, and
        ``fm``'s own check at ``tau + 1`` is weaker than (a).
        """
        k, base = len(fm), fm.total_at(0)
        best = NEVER
        for cs, co in cands:
            # (a) the whole running set at tau + 1 leaves room: base + k (tau + 1) + cs + 1 <= M
            hi = NEVER if k == 0 else (self._M - cs - 1 - base) // k
            if frm < hi:
                tau = fm.earliest_start(cs, co, frm, hi)
                if tau is not None:
                    best = min(best, tau)
        return best

    def _evict_smallest(self, state: State, need: int) -> tuple[list[int], int]:
        """Evict by estimate ascending (ties: the ``tie`` rule) until the next step fits.

        The keys go into a heap and only the evicted few are popped (a full sort costs more)."""
        M, s, L, t, run = self._M, self._s, self._L, state.t, state.running
        g = t + 1         # the estimate is max(L, g - p); a request's next-step memory is s + g - p
        if self.tie == "adversarial":
            o = self._o
            keyed = [(L[j] if L[j] > g - p else g - p, o[j], j) for j, p in run.items()]
        else:
            keyed = [(L[j] if L[j] > g - p else g - p, j) for j, p in run.items()]
        heapq.heapify(keyed)
        evict = []
        while keyed:
            first = heapq.heappop(keyed)
            grp = [first[-1]]
            if self.tie == "random":                        # a group: equal estimates, ids ascending
                while keyed and keyed[0][0] == first[0]:
                    grp.append(heapq.heappop(keyed)[-1])
            held = [(s[j] + g - run[j], j) for j in grp]    # next-step memory of each member
            total = sum(h for h, _ in held)
            if need - total > M or len(held) == 1 or need - total + min(held)[0] > M:
                order = held                                # all of the group, or deterministic: by index
            else:                                           # a random tie (module docstring, "Ties")
                order = (_take(held, self._draw(len(held))) for _ in range(len(held)))
            for h, j in order:
                need -= h
                evict.append(j)
                if need <= M:
                    return evict, need
        return evict, need

    def _draw(self, r: int) -> int:
        """A random tie's draw: a uniform position among ``r`` members, ``rng.integers(r)`` (no draw when
        ``r = 1``; module docstring, "Ties")."""
        return int(self._rng.integers(r))

    def _admit(self, fm: FutureMemory, t: int) -> list[int]:
        """Scan groups in key order; admit by the future-memory check (mutates ``fm``)."""
        if self._tree is not None:
            return self._admit_skip(fm, t)
        starts: list[int] = []
        heap, groups = self._heap, self._groups
        skipped: list[tuple] = []
        min_failed_s = math.inf
        while heap:
            k = heap[0]
            grp = groups[k]
            if self.scan == "skip" and grp.min_s() >= min_failed_s:
                skipped.append(heapq.heappop(heap))        # dominated by a group that failed (larger õ, s)
                continue
            if self._try_group(fm, t, grp, starts):        # the whole group started
                del groups[k]
                heapq.heappop(heap)
                continue
            if self.scan == "stop":
                break
            min_failed_s = min(min_failed_s, grp.min_s())
            skipped.append(heapq.heappop(heap))
        for k in skipped:
            heapq.heappush(heap, k)
        return starts

    def _admit_skip(self, fm: FutureMemory, t: int) -> list[int]:
        """The ``skip`` scan over static slots: the same visits as the heap walk of :meth:`_admit`, but the
        tree jumps over the groups a failed group dominates instead of popping them one by one."""
        starts: list[int] = []
        tree, groups = self._tree, self._groups
        pos, min_failed_s = 0, math.inf
        while True:
            slot = tree.first(pos, min_failed_s)
            if slot < 0:
                return starts
            pos = slot + 1
            k = self._slot_key[slot]
            grp = groups[k]
            if self._try_group(fm, t, grp, starts):
                del groups[k]
                tree.set(slot, math.inf)
                continue
            tree.set(slot, grp.min_s())
            min_failed_s = min(min_failed_s, grp.min_s())

    def _try_group(self, fm: FutureMemory, t: int, grp: "_Group", starts: list[int]) -> bool:
        """Admit from one group (appending to ``starts``); ``True`` if the whole group started.

        The members share õ (it is part of the key), so they all end at ``t + õ``, and fits is monotone
        in s: if the smallest prompt does not fit, nobody does and there is nothing to draw; whether the
        whole group fits is one check (``count``), whatever the order.  Otherwise the group is a random
        tie's (other ties make groups of one) and members are drawn as the module docstring says
        ("Ties"): one draw per member taken, not a permutation of the group."""
        s, ids = self._s, grp.ids
        est = self._L[ids[0]]
        if not fm.fits(grp.min_s(), est, t):
            return False
        if len(ids) == 1 or fm.fits(grp.total, est, t, count=len(ids)):
            for i in ids:
                fm.add(s[i], t, t + est)
            starts.extend(ids)
            return True
        aside = []                               # drawn members that did not fit
        while ids:
            least = grp.min_s()
            if not fm.fits(least, est, t):       # nobody left fits: no draw
                break
            i = grp.take(self._draw(len(ids)), s)
            if s[i] == least or fm.fits(s[i], est, t):
                fm.add(s[i], t, t + est)
                starts.append(i)
            else:
                aside.append(i)
                if self.scan == "stop":
                    break
        for i in aside:
            grp.add(i, s[i])
        return False

    def _candidates(self) -> list[tuple[int, int]]:
        """``(s, õ)`` of the waiting requests whose admission could change the decision first."""
        L, groups = self._L, self._groups
        out = []
        if self.scan == "stop":
            if self._heap:
                grp = groups[self._heap[0]]
                out.append((grp.min_s(), L[grp.ids[0]]))
            return out
        best_s = math.inf
        if self._tree is not None:                        # the staircase, straight from the tree
            pos = 0
            while True:
                slot = self._tree.first(pos, best_s)
                if slot < 0:
                    return out
                grp = groups[self._slot_key[slot]]
                best_s = grp.min_s()
                out.append((best_s, L[grp.ids[0]]))
                pos = slot + 1
        for k in sorted(self._heap):                      # õ ascending: keep the Pareto-minimal (s, õ)
            grp = groups[k]
            if grp.min_s() < best_s:
                best_s = grp.min_s()
                out.append((best_s, L[grp.ids[0]]))
        return out


class _MinTree:
    """Minimum segment tree over slots ``0..n-1`` (``inf`` = empty): set a slot, and find the first slot at
    or after ``pos`` whose value is below ``thr`` in ``O(log n)``."""

    __slots__ = ("size", "val")

    def __init__(self, n: int) -> None:
        self.size = 1
        while self.size < n:
            self.size *= 2
        self.val = [math.inf] * (2 * self.size)

    def set(self, slot: int, value: float) -> None:
        val = self.val
        x = slot + self.size
        val[x] = value
        x >>= 1
        while x:
            a, b = val[2 * x], val[2 * x + 1]
            val[x] = a if a < b else b
            x >>= 1

    def first(self, pos: int, thr: float) -> int:
        if pos >= self.size:
            return -1
        val, x = self.val, pos + self.size
        while val[x] >= thr:
            while x & 1:
                x >>= 1
            if x == 0:
                return -1
            x += 1
        while x < self.size:
            x *= 2
            if val[x] >= thr:
                x += 1
        return x - self.size


class _Group:
    """Waiting requests with one admission key: ``ids`` in the order they joined, as changed by random
    ties (:meth:`take`; this order is part of the seeded behaviour), the sum of their prompts (whether
    the whole group fits) and their prompts as a multiset (the smallest decides whether anyone fits).
    Adding and taking cost ``O(log)`` of the group's distinct prompts, however large the group."""

    __slots__ = ("ids", "total", "_count", "_heap")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.total = 0
        self._count: dict[int, int] = {}    # members per prompt; a key is in the heap exactly once
        self._heap: list[int] = []          # distinct prompts (some with count 0, dropped when on top)

    def add(self, i: int, s: int) -> None:
        self.ids.append(i)
        self.total += s
        c = self._count.get(s)
        if c is None:
            heapq.heappush(self._heap, s)
        self._count[s] = (c or 0) + 1

    def min_s(self) -> float:
        heap, count = self._heap, self._count
        while heap and count[heap[0]] == 0:
            del count[heapq.heappop(heap)]
        return heap[0] if heap else math.inf

    def take(self, x: int, s: list[int]) -> int:
        """Remove and return the member at position ``x`` of ``ids``: the last one moves into its place."""
        i = _take(self.ids, x)
        self.total -= s[i]
        self._count[s[i]] -= 1
        return i


def _take(items: list, x: int):
    """Remove and return ``items[x]``, moving the last item into its place (``O(1)``; a random tie's
    step, module docstring "Ties")."""
    last = items.pop()
    if x == len(items):
        return last
    out, items[x] = items[x], last
    return out


def _tie(tie: str) -> str:
    if tie not in TIES:
        raise ValueError(f"unknown tie rule {tie!r}; valid: {', '.join(TIES)}")
    return tie


@register("amax")
def amax(tie: str = "random", reading: str = "refill") -> EstimatePolicy:
    """A_max: upper ends of the intervals, largest feasible set, never evicts.

    Parameters
    ----------
    tie : one of :data:`TIES`.
    reading : ``"refill"`` (default: admit at every time) or ``"batch"`` (admit only when nothing
        runs); see the module docstring.

    Examples
    --------
    >>> amax(reading="batch").reading
    'batch'
    >>> amax(reading="once")
    Traceback (most recent call last):
    ...
    ValueError: unknown reading 'once'; valid: refill, batch
    """
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; valid: {', '.join(READINGS)}")
    return EstimatePolicy("amax", "upper", "skip", "none", False, _tie(tie), key_s=True, reading=reading)


@register("amin")
def amin(tie: str = "random") -> EstimatePolicy:
    """A_min: lower ends, adaptive estimates, evict the smallest estimate on overflow."""
    return EstimatePolicy("amin", "lower", "stop", "smallest", True, _tie(tie))


@register("sf_point")
def sf_point() -> EstimatePolicy:
    """Point-prediction SF: MC-SF on rounded point predictions, vLLM eviction on overflow."""
    return EstimatePolicy("sf_point", "point", "stop", "recent", False, "index")
