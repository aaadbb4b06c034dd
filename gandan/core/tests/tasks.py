"""Tasks for the queue's tests (module level: the worker finds them by their path)."""

from typing import Any

from gandan.core.queue import background, progress_of, progress_report


@background(takes_context=True)
def counting_task(context: Any, steps: int) -> list[int]:
    """Reports its progress step by step and reads it back as a page would."""
    task_id = str(context.task_result.id)
    seen = []
    for done in range(1, steps + 1):
        progress_report(task_id, done=done, total=steps, step=f"Bước {done}")
        progress = progress_of(task_id)
        seen.append(progress.percent if progress else -1)
    return seen


@background()
def failing_task() -> None:
    raise ValueError("hỏng")


@background(attempts=3)
def patient_task() -> str:
    return "xong"
