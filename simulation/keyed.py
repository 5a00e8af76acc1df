"""Random numbers keyed by what they decide.

Every random number the model draws is a pure function of the decision it settles: the
run's seed, the mechanism (a name such as ``"hear"`` or ``"leader_exit"``), the week, the
resident, household, building or group it concerns, and, where one event needs several
numbers, an index ``k``. Nothing depends on how many numbers were drawn before. Two
scenarios run with the same seed therefore draw the same number for the same resident's same
decision wherever they still face it, and their difference is the condition's, not the
generator's (common random numbers; Klein et al. 2024, arXiv 2409.02086, for Starsim's
streams; arXiv 2603.11084 for draws as a function of the event).

How: a counter-based generator. The key of a stream, ``(seed, mechanism, week, *keys)``, is
hashed once in Python into 64 bits; each element's number is a hash of that key and the
element's identity (and ``k``) through the SplitMix64 finaliser (Steele, Lea & Flood 2014;
the murmur3 ``fmix64`` constants of Stafford's "Mix13"), applied twice, vectorised over
uint64 arrays. Only the events that happen are drawn: a rule that looks at 40 residents pays
for 40 numbers, not for the whole community, which is what keeps this cheaper than a stream
per mechanism drawn for every resident every week (Starsim's way). ``tests/test_keyed.py``
checks uniformity (chi-square over buckets), independence of neighbouring identities and of
streams (correlations), and that a draw depends on nothing but its key.

Distributions are made by inverting their distribution function at a keyed uniform (normal,
log-normal, beta, Poisson, categorical), so a resident keeps their quantile when a
parameter moves: the same uniform gives a nearby value. Choices without replacement take the
top ``k`` of keyed random keys (Gumbel top-k when weighted), so a candidate keeps their key in
every scenario.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import scipy.special as special
from numba import njit

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15  # 2^64 / golden ratio: SplitMix64's increment
SECOND = 0xD1B54A32D192ED03  # another odd constant with good bit mixing, for ``k``
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_TO_UNIT = 2.0 ** -53


def _mix(z: int) -> int:
    """SplitMix64's finaliser on a Python integer (stream keys)."""
    z = (z ^ (z >> 30)) * _M1 & MASK
    z = (z ^ (z >> 27)) * _M2 & MASK
    return z ^ (z >> 31)


@njit(cache=True, nogil=True)
def _mixed(z: np.uint64) -> np.uint64:
    """SplitMix64's finaliser on one uint64 (multiplications wrap modulo 2^64)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True)
def _bits_of(identity: np.uint64, key: np.uint64, fold: np.uint64) -> np.uint64:
    """One identity's 64 bits: mixed with the stream's key, then with its ``k + 1``."""
    return _mixed(_mixed(identity * np.uint64(GOLDEN) + key) ^ (fold * np.uint64(SECOND)))


@njit(cache=True, nogil=True)
def _to_unit(bits: np.uint64) -> float:
    """The top 53 bits as a uniform number in (0, 1), centred in their interval."""
    return (np.float64(bits >> np.uint64(11)) + 0.5) * _TO_UNIT


@njit(cache=True, nogil=True)
def _hash_bits(ids: np.ndarray, key: np.uint64, fold: np.ndarray) -> np.ndarray:
    """``_bits_of`` each identity (``fold``: one ``k + 1`` for all, or one per identity)."""
    out = np.empty(ids.size, dtype=np.uint64)
    one = fold.size == 1
    for i in range(ids.size):
        out[i] = _bits_of(ids[i], key, fold[0] if one else fold[i])
    return out


@njit(cache=True, nogil=True)
def _hash_uniform(ids: np.ndarray, key: np.uint64, fold: np.ndarray) -> np.ndarray:
    """``_hash_bits`` as uniform numbers in (0, 1)."""
    out = np.empty(ids.size, dtype=np.float64)
    one = fold.size == 1
    for i in range(ids.size):
        out[i] = _to_unit(_bits_of(ids[i], key, fold[0] if one else fold[i]))
    return out


@njit(cache=True, nogil=True)
def _hash_uniform_rows(ids: np.ndarray, key: np.uint64, count: int) -> np.ndarray:
    """``_hash_uniform`` for ``k = 0 .. count - 1``: one row per ``k``."""
    out = np.empty((count, ids.size), dtype=np.float64)
    for k in range(count):
        for i in range(ids.size):
            out[k, i] = _to_unit(_bits_of(ids[i], key, np.uint64(k + 1)))
    return out


_FOLDS: dict[int, np.ndarray] = {}


def _fold(k: int) -> np.ndarray:
    """``k + 1`` as the kernels take one ``k`` for all identities (kept per ``k``: the
    kernels only read it; a writeable array, as numba compiled them for)."""
    fold = _FOLDS.get(k)
    if fold is None:
        fold = np.array([(k + 1) & MASK], dtype=np.uint64)
        if len(_FOLDS) < 1024:
            _FOLDS[k] = fold
    return fold


_CODES: dict[str, int] = {}


def mechanism_code(name: str) -> int:
    """A stable 64-bit code for a mechanism's name (the same in every process and version)."""
    code = _CODES.get(name)
    if code is None:
        code = _CODES[name] = _mix(zlib.crc32(name.encode()) | (len(name) << 32))
    return code


def seed_key(seed: int) -> int:
    """The 64-bit key of a run's seed (any integer; negative ones are folded in)."""
    return _mix((int(seed) & MASK) ^ 0x5BD1E9955BD1E995)


class Draws:
    """A run's keyed random numbers. ``uniform(mechanism, week, ids)`` is the same array for
    the same arguments in every run with this seed, whatever was drawn before."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._seed_key = seed_key(seed)
        self._bases: dict[str, int] = {}  # per mechanism: the seed and the mechanism, mixed

    def stream(self, mechanism: str, week: int, *keys: int) -> int:
        """The 64-bit key of one stream: the mechanism at a week, with any further keys (a
        worker, an occasion, a group)."""
        z = self._bases.get(mechanism)
        if z is None:
            z = self._bases[mechanism] = _mix(self._seed_key ^ mechanism_code(mechanism))
        for value in (week, *keys):
            z = _mix((z + GOLDEN * ((int(value) & MASK) + 1)) & MASK)
        return z

    def bits(self, mechanism: str, week: int, ids: np.ndarray | int, k: np.ndarray | int = 0,
             *keys: int) -> np.ndarray:
        """64 random bits per element of ``ids`` (and of ``k``, broadcast with it): the
        element's identity is mixed with the stream's key, then ``k`` is folded in and
        mixed again (``k + 1``, so that ``k = 0`` is a key like any other)."""
        return self._hashed(mechanism, week, ids, k, keys, _hash_bits)

    def uniform(self, mechanism: str, week: int, ids: np.ndarray | int,
                k: np.ndarray | int = 0, *keys: int) -> np.ndarray:
        """Uniform numbers in the open interval (0, 1), one per element of ``ids``: the top
        53 of the element's 64 bits, centred in their interval."""
        return self._hashed(mechanism, week, ids, k, keys, _hash_uniform)

    def _hashed(self, mechanism: str, week: int, ids: np.ndarray | int, k: np.ndarray | int,
                keys: tuple[int, ...], kernel: Any) -> Any:
        key = np.uint64(self.stream(mechanism, week, *keys))
        if isinstance(ids, np.ndarray) and ids.ndim == 1 and ids.flags.c_contiguous:
            # The common cases, straight to the kernel (the same arrays as below).
            if isinstance(k, (int, np.integer)):
                if ids.dtype != np.uint64:
                    ids = ids.astype(np.int64, copy=False).view(np.uint64)
                return kernel(ids, key, _fold(int(k)))
            if (isinstance(k, np.ndarray) and k.shape == ids.shape and k.dtype == np.int64
                    and ids.dtype == np.int64 and k.flags.c_contiguous):
                return kernel(ids.view(np.uint64), key, k.view(np.uint64) + np.uint64(1))
        if np.ndim(ids) == 0 and np.ndim(k) == 0:  # one number
            return kernel(np.array([int(ids) & MASK], dtype=np.uint64), key,
                          _fold(int(k)))[0]
        ids = np.asarray(ids)
        if ids.dtype != np.uint64:
            ids = ids.astype(np.int64, copy=False).view(np.uint64)
        if np.ndim(k) == 0:
            return kernel(ids.ravel(), key, _fold(int(k))).reshape(ids.shape)
        ids, k = np.broadcast_arrays(ids, np.asarray(k).astype(np.int64, copy=False))
        fold = k.view(np.uint64) + np.uint64(1)
        return kernel(ids.ravel(), key, fold.ravel()).reshape(ids.shape)

    def uniforms(self, mechanism: str, week: int, ids: np.ndarray, count: int) -> np.ndarray:
        """``count`` uniform numbers per element of ``ids`` (rows ``k = 0 .. count - 1``) in
        one pass: the same numbers as ``uniform(mechanism, week, ids, k)`` row by row."""
        ids = np.asarray(ids)
        if ids.dtype != np.uint64:
            ids = ids.astype(np.int64, copy=False).view(np.uint64)
        return _hash_uniform_rows(ids.ravel(), np.uint64(self.stream(mechanism, week)),
                                  int(count))

    def exponential(self, mechanism: str, week: int, ids: np.ndarray,
                    k: np.ndarray | int = 0) -> np.ndarray:
        """Exponential numbers of mean 1: the hazard an event's clock must accumulate
        (``EventClock``)."""
        return -np.log(self.uniform(mechanism, week, ids, k))

    def normal(self, mechanism: str, week: int, ids: np.ndarray | int, mean: float = 0.0,
               sd: float = 1.0, k: np.ndarray | int = 0) -> np.ndarray:
        return mean + sd * special.ndtri(self.uniform(mechanism, week, ids, k))

    def lognormal(self, mechanism: str, week: int, ids: np.ndarray, sigma: float) -> np.ndarray:
        return np.exp(sigma * special.ndtri(self.uniform(mechanism, week, ids)))

    def beta(self, mechanism: str, week: int, ids: np.ndarray, a: float, b: float) -> np.ndarray:
        return beta_quantile(a, b, self.uniform(mechanism, week, ids))

    def gumbel(self, mechanism: str, week: int, ids: np.ndarray, *keys: int) -> np.ndarray:
        return -np.log(-np.log(self.uniform(mechanism, week, ids, 0, *keys)))

    def poisson(self, mechanism: str, week: int, ids: np.ndarray | int,
                rate: float) -> np.ndarray:
        """Poisson counts by inversion: the same uniform gives the same count at the same
        rate and a nearby count at a nearby rate."""
        return poisson_inverse(self.uniform(mechanism, week, ids), rate)

    def categorical(self, mechanism: str, week: int, ids: np.ndarray,
                    shares: np.ndarray) -> np.ndarray:
        """A category per element, with probabilities ``shares`` (normalised here)."""
        cumulative = np.cumsum(shares) / np.sum(shares)
        cumulative[-1] = 1.0
        u = self.uniform(mechanism, week, ids)
        return np.searchsorted(cumulative, u, side="right").astype(np.int64)

    # --- choices without replacement ------------------------------------------------------
    def top_k(self, mechanism: str, week: int, candidates: np.ndarray, k: int,
              weights: np.ndarray | None = None, *keys: int) -> np.ndarray:
        """``k`` of ``candidates`` without replacement, uniformly or with probability rising
        with ``weights`` (Gumbel top-k), returned in increasing order of candidate. Each
        candidate's key is its own, so it is chosen in every scenario where its weight and
        its rivals' keys let it."""
        if candidates.size <= k:
            return np.sort(candidates)
        if k <= 0:
            return candidates[:0]
        score = self.gumbel(mechanism, week, candidates, *keys)
        if weights is not None:
            score += np.log(np.maximum(weights, 1e-300))
        # argpartition's order depends on the CPU's SIMD path (docs/reproducibility.md):
        # only the set it returns is used, sorted.
        return np.sort(candidates[np.argpartition(-score, k - 1)[:k]])

    def shuffled(self, mechanism: str, week: int, items: np.ndarray, *keys: int) -> np.ndarray:
        """``items`` in a random order given by each item's own key."""
        return items[np.argsort(self.uniform(mechanism, week, items, 0, *keys), kind="stable")]


class EventClock:
    """When each resident's repeatable event (hearing of the project, founding a group)
    happens: a keyed exponential clock per resident.

    A resident facing a weekly chance ``p`` of the event accumulates its hazard
    ``-log(1 - p)``; the event happens in the week the hazard reaches the resident's keyed
    exponential number, and the ``k``-th event's number is keyed by ``k``. Week by week this
    is the same law as a fresh Bernoulli draw each week (the waiting time over weeks at a
    constant chance is geometric either way), but paired runs couple far better: when a
    condition makes a resident ready a few weeks earlier, or raises their chance, the event
    comes a little earlier in that run rather than at an unrelated week, because both runs
    wait for the same number (the inversion method for event times; Klein et al. 2024 on
    time-to-event draws in Starsim)."""

    def __init__(self, draws: Draws, mechanism: str, n: int) -> None:
        self.draws = draws
        self.mechanism = mechanism
        self.count = np.zeros(n, dtype=np.int64)  # the events each resident had
        self.left = draws.exponential(mechanism, 0, np.arange(n))  # hazard still to go

    def tick(self, who: np.ndarray, chance: np.ndarray | float) -> np.ndarray:
        """Residents ``who`` (each once) face a weekly ``chance`` of the event: which of them
        have it now (a boolean per element of ``who``; the clocks of those are reset)."""
        with np.errstate(divide="ignore"):
            hazard = -np.log1p(-np.clip(chance, 0.0, 1.0))
        happens = _wind(self.left, who, np.atleast_1d(np.asarray(hazard, dtype=np.float64)))
        done = who[happens]
        if done.size:
            self.count[done] += 1
            self.left[done] = self.draws.exponential(self.mechanism, 0, done, self.count[done])
        return happens


@njit(cache=True, nogil=True)
def _wind(left: np.ndarray, who: np.ndarray, hazard: np.ndarray) -> np.ndarray:
    """``EventClock.tick``'s clocks: each of ``who`` (each resident once) has ``hazard``
    (one for all, or one each) less to go; whether their clock has run out."""
    happens = np.empty(who.size, dtype=np.bool_)
    each = hazard.size > 1
    for i in range(who.size):
        r = who[i]
        left[r] = left[r] - hazard[i if each else 0]
        happens[i] = left[r] <= 0.0
    return happens


def poisson_inverse(u: np.ndarray, rate: float | np.ndarray) -> np.ndarray:
    """The smallest count whose Poisson distribution function reaches ``u`` (vectorised)."""
    if np.ndim(u) == 0 and np.ndim(rate) == 0:  # one count (e.g. a week's contacts)
        return np.int64(_poisson_one(float(u), float(rate)))
    u = np.asarray(u, dtype=np.float64)
    rate = np.broadcast_to(np.asarray(rate, dtype=np.float64), u.shape)
    count = np.zeros(u.shape, dtype=np.int64)
    term = np.exp(-rate)
    cdf = term.copy()
    below = u > cdf
    k = 0
    while below.any():
        k += 1
        if k > 10_000:  # a rate far beyond any the model uses: give the normal approximation
            approx = np.floor(rate + np.sqrt(rate) * special.ndtri(u) + 0.5)
            count[below] = np.maximum(approx[below], 0).astype(np.int64)
            break
        term = term * rate / k
        cdf = cdf + term
        count[below] = k
        below &= u > cdf
    return count


def _poisson_one(u: float, rate: float) -> int:
    """``poisson_inverse`` for one number, in Python floats (the same sums in the same
    order, so the same count)."""
    term = float(np.exp(-rate))
    cdf, count = term, 0
    while u > cdf and count < 10_000:
        count += 1
        term = term * rate / count
        cdf = cdf + term
    return count


_BETA_TABLES: dict[tuple[float, float], tuple[np.ndarray, np.ndarray]] = {}
_BETA_GRID = np.linspace(0.0, 1.0, 4097)


def beta_quantile(a: float, b: float, u: np.ndarray) -> np.ndarray:
    """The Beta(a, b) quantile of ``u``, as ``scipy.special.betaincinv`` gives it (to
    within 1e-8; ``tests/test_keyed.py``) in a fraction of its time: interpolated in a table of
    4,097 exact quantiles (computed once per shape and process), then one Newton step on the
    distribution function."""
    table = _BETA_TABLES.get((a, b))
    if table is None:
        if len(_BETA_TABLES) > 64:
            _BETA_TABLES.clear()
        table = _BETA_TABLES[(a, b)] = (_BETA_GRID, special.betaincinv(a, b, _BETA_GRID))
    grid, quantiles = table
    # The true quantile lies between the table's quantiles on either side of u (the
    # quantile function rises): the Newton step is kept within them.
    cell = np.minimum((u * (grid.size - 1)).astype(np.int64), grid.size - 2)
    low, high = quantiles[cell], quantiles[cell + 1]
    x = low + (u - grid[cell]) * (grid.size - 1) * (high - low)
    inside = np.clip(x, 1e-300, 1.0 - 1e-16)
    density = np.exp((a - 1.0) * np.log(inside) + (b - 1.0) * np.log1p(-inside)
                     - special.betaln(a, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        step = (special.betainc(a, b, inside) - u) / density
    x = np.clip(np.where(np.isfinite(step), x - step, x), low, high)
    # In the outermost cells the quantile function is too steep for one step: exactly.
    edge = (cell < 16) | (cell > grid.size - 18)
    if edge.any():
        x[edge] = special.betaincinv(a, b, u[edge])
    return x
