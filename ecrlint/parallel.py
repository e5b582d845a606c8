"""Spread the expensive, independent work of a run over processes (`--jobs`).

The Terraform files and the JSON and YAML files are modelled in two forked children side by side;
each hands its `AdapterResult` back pickled, and the parent merges them where a sequential run puts
them. Should a child fail in any way, the parent models those files itself, so `--jobs` never
changes what a run reports.

The lifecycle questions (ECR402-404, listed by `lifecycle.questions`) are answered per distinct
policy, by the exact analysis and, where it cannot prove its counterexample minimal, a deterministic
search. Workers answer them while
this process runs the rules before the lifecycle ones; the answers are handed to the run's cache
before the first lifecycle rule, so the checks that ask find them (and kept on disk for later runs). The answers do not depend on
which process computed them, so the output is byte-identical whatever `--jobs` is.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor

from .cache import current
from .model import Model
from .options import Options

MIN_TASKS = 16  # below this, starting a worker costs more than it saves


def _by_policy(questions: list) -> list[list]:
    """The questions grouped per policy, so that one worker answers them all with one tag space."""
    groups: dict[str, list] = {}
    for question in questions:
        groups.setdefault(question.args[0], []).append(question)
    return list(groups.values())


def _answer(questions: list) -> list:
    """The outcome of each of one policy's questions."""
    from .lifecycle.properties import Answers

    memo = Answers()
    return [question.answer(memo) for question in questions]


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class Prefetch:
    """Lifecycle questions being answered in worker processes while this process runs other rules.

    Whatever goes wrong in the workers (one killed, the pool broken) costs only time: the answers that
    did not arrive are computed by the checks that ask for them, as with `--jobs 1`.
    """

    def __init__(self, pool: ProcessPoolExecutor, groups: list, answers) -> None:
        self._pool = pool
        self._groups = groups
        self._answers = answers

    def collect(self) -> None:
        """Wait for the answers and hand them to the run's cache (once; later calls do nothing)."""
        if self._pool is None:
            return
        cache = current()
        try:
            for group, outcomes in zip(self._groups, self._answers):
                for question, outcome in zip(group, outcomes):
                    cache.put_json("lifecycle", question.key, outcome.to_json())
        except Exception:  # noqa: BLE001 - a broken pool: the checks compute what is missing
            pass
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers; searches still running are abandoned, not waited for."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def start_prefetch(model: Model, options: Options, jobs: int) -> Prefetch | None:
    """Start answering every lifecycle question of the run in `jobs - 1` workers (this process keeps
    running the other rules); None when there is too little to gain or no worker can start."""
    if jobs < 2:
        return None
    from .lifecycle import questions

    cache = current()
    pending = [q for q in questions(model, options) if cache.get("lifecycle", q.key) is None]
    if len(pending) < MIN_TASKS:
        return None
    groups = _by_policy(pending)
    workers = max(1, min(jobs - 1, len(groups), (os.cpu_count() or 1) - 1))
    # Forked workers share this process's memory until something writes to it. The collector's passes
    # would (they touch every object), so the objects that exist now are moved out of its sight.
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
        answers = pool.map(_answer, groups, chunksize=max(1, len(groups) // (workers * 8)))
    except (OSError, RuntimeError):
        return None
    finally:
        gc.unfreeze()
    return Prefetch(pool, groups, answers)


def start_in_child(function, *args):
    """Start `function(*args)` in a forked child; returns a callable that waits for its result.

    The result comes back pickled. Where fork is unavailable, or the child fails, the callable
    computes the result in this process instead.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: function(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args), daemon=True)
    try:
        child.start()
    except OSError:
        return lambda: function(*args)
    sender.close()

    def result():
        try:
            payload = receiver.recv_bytes()
            status, value = pickle.loads(payload)
        except (EOFError, OSError, pickle.PickleError, ValueError):
            status, value = "failed", None
        finally:
            receiver.close()
            child.join()
        if status != "ok":
            return function(*args)
        return value

    return result


def _child(sender, function, args) -> None:
    try:
        result = function(*args)
        payload = pickle.dumps(("ok", result), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - any failure: the parent computes the result itself
        payload = pickle.dumps(("failed", None))
    sender.send_bytes(payload)
    sender.close()
